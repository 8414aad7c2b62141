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
        using var legacy = TestCa.CreateRoot("CN=Legacy Root", WithoutExtensions);
        var file = Path.Combine(folder, "legacy.pem");
        File.WriteAllText(file, legacy.Certificate.ExportCertificatePem());
        var trust = TrustList.Load([file], [], DateTimeOffset.UtcNow);
        Assert.Single(trust.Anchors);
        Assert.Contains("trust anchor 'CN=Legacy Root' (version 3) in " + file + " has no basicConstraints extension", Assert.Single(trust.Warnings), StringComparison.Ordinal);

        // X509Chain (OpenSSL) refuses such a root as a CA; as an anchor its own constraints do not apply.
        using var leaf = legacy.Issue("CN=legacy client", profile =>
        {
            WithoutExtensions(profile);
            profile.BasicConstraints = true;
        });
        var verdict = await new ClientCertificateValidator(() => trust, new PathValidationPolicy(), [], new MtlsGateway.Validation.Verdicts.ValidationEpoch())
            .ValidateAsync(leaf, [], DateTimeOffset.UtcNow, default);
        Assert.True(verdict.Accepted, verdict.Detail);
    }

    [Fact]
    public void A_certificate_without_basicConstraints_that_is_not_self_signed_is_refused()
    {
        using var root = TestCa.CreateRoot("CN=Issuer");
        using var issued = root.Issue("CN=Not An Anchor", WithoutExtensions);
        var file = Path.Combine(folder, "issued.pem");
        File.WriteAllText(file, issued.ExportCertificatePem());
        var error = Assert.Throws<MtlsGateway.Validation.Certificates.CertificateSourceException>(() => TrustList.Load([file], [], DateTimeOffset.UtcNow));
        Assert.Contains("'CN=Not An Anchor' is not a CA certificate (no basicConstraints extension, and not self-signed)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_anchors_own_pathLenConstraint_is_not_applied()
    {
        // A root whose basicConstraints says pathLenConstraint 0, with an intermediate below it.
        using var anchor = TestCa.CreateRoot("CN=Root PathLen 0", profile =>
        {
            profile.PathLength = 0;
            profile.KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign;
        });
        using var intermediate = anchor.CreateIntermediate("CN=Below PathLen 0");
        var verdict = await SingleRootValidation.JudgeAsync(anchor, intermediate.Issue("CN=client"), [intermediate]);
        Assert.True(verdict.Accepted, verdict.Detail);
    }

    [Fact]
    public async Task A_path_through_a_non_CA_certificate_is_refused_naming_it()
    {
        using var root = TestCa.CreateRoot("CN=Root");
        using var pretender = TestCa.From(root.Issue("CN=Not A CA", profile => profile.ExtendedKeyUsages = null), root);
        var below = pretender.Issue("CN=below");
        var verdict = await SingleRootValidation.JudgeAsync(root, below, [pretender]);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains("'CN=Not A CA' acts as a CA without being allowed to", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purposes_and_the_EKU_extension_requirement()
    {
        using var root = TestCa.CreateRoot("CN=Purpose Root");
        var noEku = root.Issue("CN=no eku", profile => profile.ExtendedKeyUsages = null);
        var serverOnly = root.Issue("CN=server", profile => profile.ExtendedKeyUsages = [Oids.ServerAuth]);

        // RFC 5280 4.2.1.12: no extendedKeyUsage extension, no restriction.
        Assert.True((await SingleRootValidation.JudgeAsync(root, noEku, [])).Accepted);
        var required = await SingleRootValidation.JudgeAsync(root, noEku, [], new PathValidationPolicy { RequireEkuExtension = true });
        Assert.Equal(RefusalReason.WrongUsage, required.Refusal);
        Assert.Equal("'CN=no eku' has no extendedKeyUsage extension, and RequireEkuExtension requires one that includes clientAuth", required.Detail);

        Assert.Equal(RefusalReason.WrongUsage, (await SingleRootValidation.JudgeAsync(root, serverOnly, [])).Refusal);
        Assert.True((await SingleRootValidation.JudgeAsync(root, serverOnly, [], new PathValidationPolicy { Purpose = KeyPurpose.ServerAuthentication })).Accepted);
        Assert.True((await SingleRootValidation.JudgeAsync(root, serverOnly, [], new PathValidationPolicy { Purpose = KeyPurpose.Any })).Accepted);
    }

    /// <summary>A version 3 certificate with no extension at all.</summary>
    private static void WithoutExtensions(CertificateProfile profile)
    {
        profile.BasicConstraints = false;
        profile.KeyUsage = null;
        profile.ExtendedKeyUsages = null;
        profile.SubjectKeyIdentifier = false;
        profile.AuthorityKeyIdentifier = false;
    }
}
