using System.Security.Cryptography;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Crypto;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;

namespace MtlsGateway.Tests.Validation.Crypto;

/// <summary>Weak signatures and keys anywhere in a path are refused with weak-crypto, naming the certificate.</summary>
public sealed class CryptoMinimumsTests : IDisposable
{
    private readonly TestCa rsaRoot = TestCa.CreateRoot("CN=RSA Root", profile => profile.Key = KeySpec.Rsa2048);

    public void Dispose() => rsaRoot.Dispose();

    [Theory]
    [InlineData("MD5", "'CN=md5 leaf': md5WithRSAEncryption signature (MD5), never accepted")]
    [InlineData("SHA1", "'CN=sha1 leaf': sha1WithRSAEncryption signature (SHA-1), not accepted unless AllowSha1Signatures is set")]
    public async Task Weak_signature_hashes_are_refused(string hash, string detail)
    {
        var leaf = rsaRoot.Issue($"CN={hash.ToLowerInvariant()} leaf", RsaSignedWith(hash));
        var verdict = await SingleRootValidation.JudgeAsync(rsaRoot, leaf, []);
        Assert.Equal(RefusalReason.WeakCrypto, verdict.Refusal);
        Assert.Equal(detail, verdict.Detail);
        Assert.Equal("weak-crypto", verdict.Refusal!.Value.ToCode());
    }

    [Fact]
    public async Task Sha1_is_accepted_when_allowed_and_md5_never()
    {
        var allowing = new PathValidationPolicy { AllowSha1Signatures = true };
        Assert.True((await SingleRootValidation.JudgeAsync(rsaRoot, rsaRoot.Issue("CN=sha1", RsaSignedWith("SHA1")), [], allowing)).Accepted);
        Assert.Equal(RefusalReason.WeakCrypto, (await SingleRootValidation.JudgeAsync(rsaRoot, rsaRoot.Issue("CN=md5", RsaSignedWith("MD5")), [], allowing)).Refusal);
    }

    [Fact]
    public async Task Small_rsa_keys_are_refused_unless_the_minimum_allows_them()
    {
        var leaf = rsaRoot.Issue("CN=rsa1024", profile => profile.Key = KeySpec.Rsa(1024));
        var verdict = await SingleRootValidation.JudgeAsync(rsaRoot, leaf, []);
        Assert.Equal(RefusalReason.WeakCrypto, verdict.Refusal);
        Assert.Equal("'CN=rsa1024': RSA key of 1024 bits, below the minimum of 2048 (MinimumKeySize)", verdict.Detail);
        Assert.True((await SingleRootValidation.JudgeAsync(rsaRoot, leaf, [], new PathValidationPolicy { MinimumKeySize = 1024 })).Accepted);
    }

    [Fact]
    public async Task Ec_keys_on_other_curves_are_refused()
    {
        var leaf = rsaRoot.Issue("CN=k256", profile => profile.Key = KeySpec.Ec(ECCurve.CreateFromValue("1.3.132.0.10"), 256));
        var verdict = await SingleRootValidation.JudgeAsync(rsaRoot, leaf, []);
        Assert.Equal(RefusalReason.WeakCrypto, verdict.Refusal);
        Assert.Equal("'CN=k256': EC key on curve 1.3.132.0.10, not one of P-256, P-384 and P-521", verdict.Detail);
        Assert.True((await SingleRootValidation.JudgeAsync(rsaRoot, rsaRoot.Issue("CN=p384", profile => profile.Key = KeySpec.EcP384), [])).Accepted);
    }

    [Fact]
    public async Task A_weak_intermediate_is_named_even_under_a_strong_leaf()
    {
        using var weakIntermediate = rsaRoot.CreateIntermediate("CN=Weak Issuing", profile => profile.Key = KeySpec.Rsa(1024));
        var verdict = await SingleRootValidation.JudgeAsync(rsaRoot, weakIntermediate.Issue("CN=strong leaf", profile => profile.Key = KeySpec.Rsa(3072)), [weakIntermediate]);
        Assert.Equal(RefusalReason.WeakCrypto, verdict.Refusal);
        Assert.StartsWith("'CN=Weak Issuing': RSA key of 1024 bits", verdict.Detail, StringComparison.Ordinal);

        using var sha1Intermediate = rsaRoot.CreateIntermediate("CN=SHA-1 Issuing", RsaSignedWith("SHA1"));
        var signedBySha1 = await SingleRootValidation.JudgeAsync(rsaRoot, sha1Intermediate.Issue("CN=strong leaf"), [sha1Intermediate]);
        Assert.Equal(RefusalReason.WeakCrypto, signedBySha1.Refusal);
        Assert.StartsWith("'CN=SHA-1 Issuing': sha1WithRSAEncryption signature (SHA-1)", signedBySha1.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_trust_anchors_own_self_signature_does_not_count_but_its_key_does()
    {
        using var sha1Root = TestCa.CreateRoot("CN=Old SHA-1 Root", RsaSignedWith("SHA1"));
        Assert.True((await SingleRootValidation.JudgeAsync(sha1Root, sha1Root.Issue("CN=client"), [])).Accepted);

        using var smallRoot = TestCa.CreateRoot("CN=Small Root", profile => profile.Key = KeySpec.Rsa(1024));
        var verdict = await SingleRootValidation.JudgeAsync(smallRoot, smallRoot.Issue("CN=client"), []);
        Assert.Equal(RefusalReason.WeakCrypto, verdict.Refusal);
        Assert.StartsWith("'CN=Small Root': RSA key of 1024 bits", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sha1_signed_crl_is_not_relied_on_so_the_status_is_unknown_under_require()
    {
        var leaf = rsaRoot.Issue("CN=client");
        var crls = new CrlSet([CertificateRevocationList.Parse(rsaRoot.CreateCrl(profile => profile.SignatureHash = HashAlgorithmName.SHA1))]);
        foreach (var (policy, accepted) in new[] { (new PathValidationPolicy(), false), (new PathValidationPolicy { AllowSha1Signatures = true }, true) })
        {
            var check = new RevocationCheck(RevocationMode.Require, RevocationScope.Chain, [new CrlFileRevocationSource(() => crls, TimeSpan.FromMinutes(5), policy.Minimums)]);
            var verdict = await SingleRootValidation.JudgeAsync(rsaRoot, leaf, [], policy, [check]);
            Assert.True(accepted == verdict.Accepted, verdict.Detail);
            if (!accepted)
            {
                Assert.Equal(RefusalReason.RevocationUnknown, verdict.Refusal);
                Assert.Contains("cannot be relied on: sha1WithRSAEncryption signature (SHA-1)", verdict.Detail, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_crl_signer_with_a_small_key_is_not_relied_on()
    {
        using var smallRoot = TestCa.CreateRoot("CN=Small CRL Root", profile => profile.Key = KeySpec.Rsa(1024));
        var crl = CertificateRevocationList.Parse(smallRoot.CreateCrl());
        var problem = MtlsGateway.Validation.Signatures.SignatureVerification.Verify(
            crl.Signed.ToBeSigned.Span, crl.Signed.Algorithm, crl.Signed.Signature.Span, smallRoot.PublicCertificate, [], CryptoMinimums.Default);
        Assert.Equal("cannot be relied on: signer 'CN=Small CRL Root': RSA key of 1024 bits, below the minimum of 2048 (MinimumKeySize)", problem);
        Assert.Null(MtlsGateway.Validation.Signatures.SignatureVerification.Verify(
            crl.Signed.ToBeSigned.Span, crl.Signed.Algorithm, crl.Signed.Signature.Span, smallRoot.PublicCertificate, [], new CryptoMinimums(1024)));
    }

    /// <summary>An RSA-2048 subject, signed by its RSA issuer with PKCS#1 v1.5 and the given hash.</summary>
    private static Action<CertificateProfile> RsaSignedWith(string hash) => profile =>
    {
        profile.Key = KeySpec.Rsa2048;
        profile.SignatureHash = new HashAlgorithmName(hash);
    };
}
