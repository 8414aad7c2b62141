using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.Tests.TestSupport;

/// <summary>
/// The shared test CA makes what it promises, checked by .NET's chain builder and by openssl, an independent reader:
/// tests built on it would otherwise prove nothing.
/// </summary>
public sealed class TestCaTests : IDisposable
{
    private readonly TempFolder folder = new("test-ca-");

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_chain_of_any_depth_builds_to_its_root()
    {
        using var issuing = TestCa.CreateChain("Deep", intermediates: 4);
        using var leaf = issuing.Issue("CN=deep-leaf");
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(issuing.ChainToRoot[^1]);
        chain.ChainPolicy.ExtraStore.AddRange(issuing.ChainToRoot.SkipLast(1).ToArray());

        Assert.True(chain.Build(leaf), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(6, chain.ChainElements.Count);
        Assert.Equal("CN=Deep Root CA", chain.ChainElements[^1].Certificate.Subject);
    }

    [Fact]
    public void From_makes_an_issuer_of_any_certificate_with_its_key_and_refuses_one_without()
    {
        using var root = TestCa.CreateRoot("CN=From Root");
        using var notACa = TestCa.From(root.Issue("CN=Not A CA", profile => profile.ExtendedKeyUsages = null), root);
        using var below = notACa.Issue("CN=below");

        Assert.Equal(notACa.Name.RawData, below.IssuerName.RawData);
        Assert.True(SignatureVerifies(below.RawData, notACa.Certificate, HashAlgorithmName.SHA256), "signed with the wrapped certificate's key");
        Assert.Equal([notACa.Certificate, root.Certificate], notACa.ChainToRoot);
        Assert.Throws<ArgumentException>(() => TestCa.From(notACa.PublicCertificate));
    }

    public static TheoryData<string, int, string, string> Signatures() => new()
    {
        // issuer key, size, signature hash, the algorithm openssl names
        { "RSA", 2048, "MD5", "md5WithRSAEncryption" },
        { "RSA", 2048, "SHA1", "sha1WithRSAEncryption" },
        { "RSA", 3072, "SHA384", "sha384WithRSAEncryption" },
        { "EC", 256, "SHA1", "ecdsa-with-SHA1" },
        { "EC", 384, "SHA512", "ecdsa-with-SHA512" },
        { "DSA", 2048, "SHA1", "dsaWithSHA1" },
        { "DSA", 2048, "SHA256", "dsa_with_SHA256" },
    };

    [Theory]
    [MemberData(nameof(Signatures))]
    public void Certificates_and_CRLs_are_signed_with_the_key_and_hash_asked_for(string algorithm, int size, string hash, string opensslName)
    {
        var key = algorithm switch
        {
            "RSA" => KeySpec.Rsa(size),
            "DSA" => KeySpec.Dsa(size),
            _ => size == 384 ? KeySpec.EcP384 : KeySpec.EcP256,
        };
        var hashName = new HashAlgorithmName(hash);
        using var ca = TestCa.CreateRoot($"CN={algorithm} {hash} CA", profile => profile.Key = key);
        using var leaf = ca.Issue("CN=weak", profile => profile.SignatureHash = hashName);
        var crl = ca.CreateCrl(profile => profile.SignatureHash = hashName);

        Assert.True(SignatureVerifies(leaf.RawData, ca.Certificate, hashName), "the certificate's signature verifies with the CA key");
        Assert.True(SignatureVerifies(crl, ca.Certificate, hashName), "the CRL's signature verifies with the CA key");
        Assert.Contains($"Signature Algorithm: {opensslName}", OpenSslText("x509", leaf.RawData), StringComparison.Ordinal);
        Assert.Contains($"Signature Algorithm: {opensslName}", OpenSslText("crl", crl), StringComparison.Ordinal);
    }

    [Fact]
    public void Path_extensions_read_back_as_openssl_understands_them()
    {
        using var root = TestCa.CreateRoot("CN=Policy Root");
        using var ca = root.CreateIntermediate("CN=Policy CA", profile =>
        {
            profile.PathLength = 0;
            profile.Policies.Add("2.16.840.1.101.3.2.1.48.1");
            profile.PolicyMappings.Add(("2.16.840.1.101.3.2.1.48.1", "2.16.840.1.101.3.2.1.48.2"));
            profile.RequireExplicitPolicy = 0;
            profile.InhibitPolicyMapping = 1;
            profile.InhibitAnyPolicy = 0;
            profile.PermittedSubtrees.Add(new GeneralSubtree(GeneralName.Dns("example.org")));
            profile.PermittedSubtrees.Add(new GeneralSubtree(GeneralName.IpRange(IPAddress.Parse("10.0.0.0"), 8)));
            profile.ExcludedSubtrees.Add(new GeneralSubtree(GeneralName.Email("evil.example.org")));
            profile.CrlDistributionPoints.Add("http://crl.example.org/ca.crl");
            profile.OcspUrls.Add("http://ocsp.example.org/");
        });

        var text = OpenSslText("x509", ca.Certificate.RawData);

        Assert.Contains("CA:TRUE, pathlen:0", text, StringComparison.Ordinal);
        Assert.Contains("Policy: 2.16.840.1.101.3.2.1.48.1", text, StringComparison.Ordinal);
        Assert.Contains("2.16.840.1.101.3.2.1.48.1:2.16.840.1.101.3.2.1.48.2", text, StringComparison.Ordinal);
        Assert.Contains("Require Explicit Policy:0", text, StringComparison.Ordinal);
        Assert.Contains("Inhibit Policy Mapping:1", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Inhibit Any Policy: critical", text, StringComparison.Ordinal);
        Assert.Contains("DNS:example.org", text, StringComparison.Ordinal);
        Assert.Contains("IP:10.0.0.0/255.0.0.0", text, StringComparison.Ordinal);
        Assert.Contains("email:evil.example.org", text, StringComparison.Ordinal);
        Assert.Contains("URI:http://crl.example.org/ca.crl", text, StringComparison.Ordinal);
        Assert.Contains("OCSP - URI:http://ocsp.example.org/", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Alternative_names_are_written_byte_for_byte()
    {
        using var ca = TestCa.CreateRoot("CN=Names CA");
        using var leaf = ca.Issue("CN=names", profile => profile.Dns("API.Example.org.").Uri("spiffe://example.org/x").Email("ops@example.org").Ip(IPAddress.Loopback));

        var text = OpenSslText("x509", leaf.RawData);

        Assert.Contains("DNS:API.Example.org., URI:spiffe://example.org/x, email:ops@example.org, IP Address:127.0.0.1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CRLs_carry_entries_reasons_scope_and_delta_as_asked()
    {
        using var ca = TestCa.CreateRoot("CN=CRL CA");
        using var revoked = ca.Issue("CN=revoked");
        var crl = ca.CreateCrl(profile =>
        {
            profile.ThisUpdate = new DateTimeOffset(2051, 1, 1, 0, 0, 0, TimeSpan.Zero);
            profile.NextUpdate = null;
            profile.Number = 7;
            profile.Revoke(revoked, X509RevocationReason.KeyCompromise);
            profile.Revoke([0xFF], X509RevocationReason.RemoveFromCrl);
            profile.Extensions.Add(TestExtensions.IssuingDistributionPoint("http://crl.example.org/ca.crl", onlyUserCertificates: true, onlySomeReasons: [X509RevocationReason.KeyCompromise]));
            profile.DeltaOf(5);
        });

        var text = OpenSslText("crl", crl);

        Assert.Contains("Last Update: Jan  1 00:00:00 2051 GMT", text, StringComparison.Ordinal);
        Assert.Contains("Next Update: NONE", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 CRL Number: \n                7", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Delta CRL Indicator: critical\n                5", text, StringComparison.Ordinal);
        Assert.Contains("Only User Certificates", text, StringComparison.Ordinal);
        Assert.Contains("Key Compromise", text, StringComparison.Ordinal);
        Assert.Contains("Serial Number: " + revoked.SerialNumber, text, StringComparison.Ordinal);
        Assert.Contains("Remove From CRL", text, StringComparison.Ordinal);
    }

    private string OpenSslText(string command, byte[] der)
    {
        var file = folder.Write(Guid.NewGuid().ToString("N") + ".der", der);
        return OpenSsl.Run(folder.Path, command, "-inform", "DER", "-in", file, "-noout", "-text");
    }

    private static bool SignatureVerifies(byte[] signedDer, X509Certificate2 issuer, HashAlgorithmName hash)
    {
        var signed = new AsnReader(signedDer, AsnEncodingRules.DER).ReadSequence();
        var toBeSigned = signed.ReadEncodedValue().ToArray();
        signed.ReadSequence();
        var signature = signed.ReadBitString(out _);
        using var rsa = issuer.GetRSAPublicKey();
        using var ecdsa = issuer.GetECDsaPublicKey();
        using var dsa = issuer.GetDSAPublicKey();
        return rsa?.VerifyData(toBeSigned, signature, hash, RSASignaturePadding.Pkcs1)
            ?? ecdsa?.VerifyData(toBeSigned, signature, hash, DSASignatureFormat.Rfc3279DerSequence)
            ?? dsa!.VerifyData(toBeSigned, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }
}
