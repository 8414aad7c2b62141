using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Crypto;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;

namespace MtlsGateway.Tests.Validation.Crypto;

/// <summary>Weak signatures and keys anywhere in a path are refused with weak-crypto, naming the certificate.</summary>
public sealed class CryptoMinimumsTests : IDisposable
{
    private readonly HandBuiltCa rsaRoot = HandBuiltCa.Root("CN=RSA Root", HandBuiltKey.Rsa(2048));

    public void Dispose() => rsaRoot.Dispose();

    [Theory]
    [InlineData("MD5", "'CN=md5 leaf': md5WithRSAEncryption signature (MD5), never accepted")]
    [InlineData("SHA1", "'CN=sha1 leaf': sha1WithRSAEncryption signature (SHA-1), not accepted unless AllowSha1Signatures is set")]
    public async Task Weak_signature_hashes_are_refused(string hash, string detail)
    {
        var leaf = rsaRoot.Leaf($"CN={hash.ToLowerInvariant()} leaf", HandBuiltKey.Rsa(2048), hash);
        var verdict = await HandBuiltPaths.JudgeAsync(rsaRoot, leaf, []);
        Assert.Equal(RefusalReason.WeakCrypto, verdict.Refusal);
        Assert.Equal(detail, verdict.Detail);
        Assert.Equal("weak-crypto", verdict.Refusal!.Value.ToCode());
    }

    [Fact]
    public async Task Sha1_is_accepted_when_allowed_and_md5_never()
    {
        var allowing = new PathValidationPolicy { AllowSha1Signatures = true };
        Assert.True((await HandBuiltPaths.JudgeAsync(rsaRoot, rsaRoot.Leaf("CN=sha1", HandBuiltKey.Rsa(2048), "SHA1"), [], allowing)).Accepted);
        Assert.Equal(RefusalReason.WeakCrypto, (await HandBuiltPaths.JudgeAsync(rsaRoot, rsaRoot.Leaf("CN=md5", HandBuiltKey.Rsa(2048), "MD5"), [], allowing)).Refusal);
    }

    [Fact]
    public async Task Small_rsa_keys_are_refused_unless_the_minimum_allows_them()
    {
        var leaf = rsaRoot.Leaf("CN=rsa1024", HandBuiltKey.Rsa(1024));
        var verdict = await HandBuiltPaths.JudgeAsync(rsaRoot, leaf, []);
        Assert.Equal(RefusalReason.WeakCrypto, verdict.Refusal);
        Assert.Equal("'CN=rsa1024': RSA key of 1024 bits, below the minimum of 2048 (MinimumKeySize)", verdict.Detail);
        Assert.True((await HandBuiltPaths.JudgeAsync(rsaRoot, leaf, [], new PathValidationPolicy { MinimumKeySize = 1024 })).Accepted);
    }

    [Fact]
    public async Task Ec_keys_on_other_curves_are_refused()
    {
        var leaf = rsaRoot.Leaf("CN=k256", HandBuiltKey.EcCurve("1.3.132.0.10"));
        var verdict = await HandBuiltPaths.JudgeAsync(rsaRoot, leaf, []);
        Assert.Equal(RefusalReason.WeakCrypto, verdict.Refusal);
        Assert.Equal("'CN=k256': EC key on curve 1.3.132.0.10, not one of P-256, P-384 and P-521", verdict.Detail);
        Assert.True((await HandBuiltPaths.JudgeAsync(rsaRoot, rsaRoot.Leaf("CN=p384", HandBuiltKey.EcCurve("1.3.132.0.34")), [])).Accepted);
    }

    [Fact]
    public async Task A_weak_intermediate_is_named_even_under_a_strong_leaf()
    {
        using var weakIntermediate = rsaRoot.Intermediate("CN=Weak Issuing", HandBuiltKey.Rsa(1024));
        var verdict = await HandBuiltPaths.JudgeAsync(rsaRoot, weakIntermediate.Leaf("CN=strong leaf", HandBuiltKey.Rsa(3072)), [weakIntermediate]);
        Assert.Equal(RefusalReason.WeakCrypto, verdict.Refusal);
        Assert.StartsWith("'CN=Weak Issuing': RSA key of 1024 bits", verdict.Detail, StringComparison.Ordinal);

        using var sha1Intermediate = rsaRoot.Intermediate("CN=SHA-1 Issuing", HandBuiltKey.Rsa(2048), "SHA1");
        var signedBySha1 = await HandBuiltPaths.JudgeAsync(rsaRoot, sha1Intermediate.Leaf("CN=strong leaf"), [sha1Intermediate]);
        Assert.Equal(RefusalReason.WeakCrypto, signedBySha1.Refusal);
        Assert.StartsWith("'CN=SHA-1 Issuing': sha1WithRSAEncryption signature (SHA-1)", signedBySha1.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_trust_anchors_own_self_signature_does_not_count_but_its_key_does()
    {
        using var sha1Root = HandBuiltCa.Root("CN=Old SHA-1 Root", HandBuiltKey.Rsa(2048), "SHA1");
        Assert.True((await HandBuiltPaths.JudgeAsync(sha1Root, sha1Root.Leaf("CN=client"), [])).Accepted);

        using var smallRoot = HandBuiltCa.Root("CN=Small Root", HandBuiltKey.Rsa(1024));
        var verdict = await HandBuiltPaths.JudgeAsync(smallRoot, smallRoot.Leaf("CN=client"), []);
        Assert.Equal(RefusalReason.WeakCrypto, verdict.Refusal);
        Assert.StartsWith("'CN=Small Root': RSA key of 1024 bits", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sha1_signed_crl_is_not_relied_on_so_the_status_is_unknown_under_require()
    {
        var leaf = rsaRoot.Leaf("CN=client");
        var crls = new CrlSet([CertificateRevocationList.Parse(rsaRoot.EmptyCrl("SHA1"))]);
        foreach (var (policy, accepted) in new[] { (new PathValidationPolicy(), false), (new PathValidationPolicy { AllowSha1Signatures = true }, true) })
        {
            var check = new RevocationCheck(RevocationMode.Require, RevocationScope.Chain, [new CrlFileRevocationSource(() => crls, TimeSpan.FromMinutes(5), policy.Minimums)]);
            var verdict = await ValidateWithAsync(leaf, policy, check);
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
        using var smallRoot = HandBuiltCa.Root("CN=Small CRL Root", HandBuiltKey.Rsa(1024));
        var crl = CertificateRevocationList.Parse(smallRoot.EmptyCrl());
        var problem = MtlsGateway.Validation.Signatures.SignatureVerification.Verify(
            crl.Signed.ToBeSigned.Span, crl.Signed.Algorithm, crl.Signed.Signature.Span, smallRoot.Public, [], CryptoMinimums.Default);
        Assert.Equal("cannot be relied on: signer 'CN=Small CRL Root': RSA key of 1024 bits, below the minimum of 2048 (MinimumKeySize)", problem);
        Assert.Null(MtlsGateway.Validation.Signatures.SignatureVerification.Verify(
            crl.Signed.ToBeSigned.Span, crl.Signed.Algorithm, crl.Signed.Signature.Span, smallRoot.Public, [], new CryptoMinimums(1024)));
    }

    private async Task<MtlsGateway.Validation.Chains.ValidationVerdict> ValidateWithAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 leaf, PathValidationPolicy policy, ICertificatePathCheck check)
    {
        var folder = Directory.CreateTempSubdirectory("crypto-").FullName;
        try
        {
            var file = Path.Combine(folder, "root.pem");
            await File.WriteAllTextAsync(file, rsaRoot.Certificate.ExportCertificatePem());
            var trust = MtlsGateway.Validation.Trust.TrustList.Load([file], [], DateTimeOffset.UtcNow);
            var validator = new ClientCertificateValidator(() => trust, policy, [check], new MtlsGateway.Validation.Verdicts.ValidationEpoch());
            return await validator.ValidateAsync(leaf, [], DateTimeOffset.UtcNow, default);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
