using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Trust;

namespace MtlsGateway.Tests.Validation;

/// <summary>Trust anchors per RFC 5280 6.1.1 (a name and a key), and the key purposes of the end entity.</summary>
public sealed class TrustAnchorRulesTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("anchors-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_self_signed_root_without_basicConstraints_is_an_anchor_with_a_warning()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Legacy Root", key, HashAlgorithmName.SHA256);
        using var legacy = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var file = Path.Combine(folder, "legacy.pem");
        File.WriteAllText(file, legacy.ExportCertificatePem());
        var trust = TrustList.Load([file], [], DateTimeOffset.UtcNow);
        Assert.Single(trust.Anchors);
        Assert.Contains("trust anchor 'CN=Legacy Root' (version 3) in " + file + " has no basicConstraints extension", Assert.Single(trust.Warnings), StringComparison.Ordinal);

        // X509Chain (OpenSSL) refuses such a root as a CA; as an anchor its own constraints do not apply.
        var leafRequest = new CertificateRequest("CN=legacy client", ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var leaf = leafRequest.Create(legacy.SubjectName, X509SignatureGenerator.CreateForECDsa(key), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3]);
        var verdict = await new ClientCertificateValidator(() => trust, new PathValidationPolicy(), [], new MtlsGateway.Validation.Verdicts.ValidationEpoch())
            .ValidateAsync(leaf, [], DateTimeOffset.UtcNow, default);
        Assert.True(verdict.Accepted, verdict.Detail);
    }

    [Fact]
    public void A_certificate_without_basicConstraints_that_is_not_self_signed_is_refused()
    {
        using var root = HandBuiltCa.Root("CN=Issuer");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Not An Anchor", key, HashAlgorithmName.SHA256);
        using var issued = request.Create(root.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa((ECDsa)root.Key), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), [4, 5, 6]);
        var file = Path.Combine(folder, "issued.pem");
        File.WriteAllText(file, issued.ExportCertificatePem());
        var error = Assert.Throws<MtlsGateway.Validation.Certificates.CertificateSourceException>(() => TrustList.Load([file], [], DateTimeOffset.UtcNow));
        Assert.Contains("'CN=Not An Anchor' is not a CA certificate (no basicConstraints extension, and not self-signed)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_anchors_own_pathLenConstraint_is_not_applied()
    {
        // A root whose basicConstraints says pathLenConstraint 0, with an intermediate below it.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Root PathLen 0", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var anchor = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        using var anchorCa = HandBuiltCa.From(anchor);
        using var intermediate = anchorCa.Intermediate("CN=Below PathLen 0");
        var verdict = await HandBuiltPaths.JudgeAsync(anchorCa, intermediate.Leaf("CN=client"), [intermediate]);
        Assert.True(verdict.Accepted, verdict.Detail);
    }

    [Fact]
    public async Task A_path_through_a_non_CA_certificate_is_refused_naming_it()
    {
        using var root = HandBuiltCa.Root("CN=Root");
        var notACa = root.Leaf("CN=Not A CA");
        using var pretender = HandBuiltCa.From(notACa);
        var below = pretender.LeafWithoutCaCheck("CN=below");
        var verdict = await HandBuiltPaths.JudgeAsync(root, below, [pretender]);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains("'CN=Not A CA' acts as a CA without being allowed to", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purposes_and_the_EKU_extension_requirement()
    {
        using var root = HandBuiltCa.Root("CN=Purpose Root");
        var noEku = root.Leaf("CN=no eku");
        var serverOnly = root.Leaf("CN=server", extensions: new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));

        // RFC 5280 4.2.1.12: no extendedKeyUsage extension, no restriction.
        Assert.True((await HandBuiltPaths.JudgeAsync(root, noEku, [])).Accepted);
        var required = await HandBuiltPaths.JudgeAsync(root, noEku, [], new PathValidationPolicy { RequireEkuExtension = true });
        Assert.Equal(RefusalReason.WrongUsage, required.Refusal);
        Assert.Equal("'CN=no eku' has no extendedKeyUsage extension, and RequireEkuExtension requires one that includes clientAuth", required.Detail);

        Assert.Equal(RefusalReason.WrongUsage, (await HandBuiltPaths.JudgeAsync(root, serverOnly, [])).Refusal);
        Assert.True((await HandBuiltPaths.JudgeAsync(root, serverOnly, [], new PathValidationPolicy { Purpose = KeyPurpose.ServerAuthentication })).Accepted);
        Assert.True((await HandBuiltPaths.JudgeAsync(root, serverOnly, [], new PathValidationPolicy { Purpose = KeyPurpose.Any })).Accepted);
    }
}
