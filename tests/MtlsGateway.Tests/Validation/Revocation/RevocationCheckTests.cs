using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;

namespace MtlsGateway.Tests.Validation.Revocation;

/// <summary>The revocation check over the crl-file source, on hierarchies and CRLs made by each test.</summary>
public sealed class RevocationCheckTests : IDisposable
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private readonly TestCa root = TestCa.CreateRoot("CN=Check Root");
    private readonly TestCa issuing;
    private readonly X509Certificate2 leaf;

    public RevocationCheckTests()
    {
        issuing = root.CreateIntermediate("CN=Check Issuing CA");
        leaf = issuing.Issue("CN=client-1");
    }

    public void Dispose()
    {
        leaf.Dispose();
        issuing.Dispose();
        root.Dispose();
    }

    [Fact]
    public async Task A_listed_certificate_is_refused_as_revoked_with_subject_and_reason()
    {
        var crls = Crls(
            Crl(issuing, [new RevocationEntry(leaf.SerialNumberBytes.ToArray(), now.AddHours(-2), X509RevocationReason.KeyCompromise, now.AddDays(-1))]),
            Crl(root, []));

        var result = await Check(RevocationMode.BestEffort, crls).CheckAsync(Path(), now, CancellationToken.None);

        Assert.Equal(RefusalReason.Revoked, result.Refusal);
        Assert.Contains("CN=client-1", result.Detail);
        Assert.Contains("keyCompromise", result.Detail);
        Assert.Contains("invalid since", result.Detail);
    }

    [Fact]
    public async Task An_unlisted_certificate_passes_until_the_earliest_next_update()
    {
        var issuingNext = now.AddHours(3);
        var crls = Crls(Crl(issuing, [new RevocationEntry([0x01, 0x02], now.AddHours(-2))], nextUpdate: issuingNext), Crl(root, [], nextUpdate: now.AddDays(2)));

        var result = await Check(RevocationMode.Require, crls).CheckAsync(Path(), now, CancellationToken.None);

        Assert.True(result.Passed, result.Detail);
        Assert.Equal(issuingNext.ToUnixTimeSeconds(), result.ValidUntil.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_revoked_intermediate_is_refused_in_chain_scope_but_not_in_end_entity_scope()
    {
        var crls = Crls(Crl(issuing, []), Crl(root, [new RevocationEntry(issuing.Certificate.SerialNumberBytes.ToArray(), now.AddHours(-1), X509RevocationReason.CACompromise)]));
        var source = new CrlFileRevocationSource(() => crls, Skew);

        var chain = await new RevocationCheck(RevocationMode.Require, RevocationScope.Chain, [source]).CheckAsync(Path(), now, CancellationToken.None);
        var endEntity = await new RevocationCheck(RevocationMode.Require, RevocationScope.EndEntity, [source]).CheckAsync(Path(), now, CancellationToken.None);

        Assert.Equal(RefusalReason.Revoked, chain.Refusal);
        Assert.Contains("CN=Check Issuing CA", chain.Detail);
        Assert.True(endEntity.Passed, endEntity.Detail);
    }

    [Fact]
    public async Task A_stale_crl_is_unusable_so_require_refuses_and_best_effort_passes()
    {
        var crls = Crls(Crl(issuing, [], thisUpdate: now.AddDays(-8), nextUpdate: now.AddMinutes(-1)), Crl(root, []));

        var required = await Check(RevocationMode.Require, crls).CheckAsync(Path(), now, CancellationToken.None);
        var bestEffort = await Check(RevocationMode.BestEffort, crls).CheckAsync(Path(), now, CancellationToken.None);

        Assert.Equal(RefusalReason.RevocationUnknown, required.Refusal);
        Assert.Contains("is stale", required.Detail);
        Assert.True(bestEffort.Passed);
    }

    [Fact]
    public async Task A_crl_issued_in_the_future_beyond_the_clock_skew_is_unusable()
    {
        var crls = Crls(Crl(issuing, [], thisUpdate: now.AddHours(1), nextUpdate: now.AddDays(2)), Crl(root, []));

        var result = await Check(RevocationMode.Require, crls).CheckAsync(Path(), now, CancellationToken.None);

        Assert.Equal(RefusalReason.RevocationUnknown, result.Refusal);
        Assert.Contains("not yet valid", result.Detail);
    }

    [Fact]
    public async Task A_crl_with_a_bad_signature_is_unusable_even_when_it_lists_nothing()
    {
        using var impostor = TestCa.CreateRoot("CN=Check Issuing CA");
        var forged = issuing.CreateCrl(crl => Dated(crl).Signer = impostor.Certificate);
        var crls = Crls(CertificateRevocationList.Parse(forged), Crl(root, []));

        var result = await Check(RevocationMode.Require, crls).CheckAsync(Path(), now, CancellationToken.None);

        Assert.Equal(RefusalReason.RevocationUnknown, result.Refusal);
        Assert.Contains("signature does not verify", result.Detail);
    }

    [Fact]
    public async Task A_crl_with_an_unknown_critical_extension_is_unusable()
    {
        var der = issuing.CreateCrl(crl => Dated(crl).Extensions.Add(TestExtensions.Unknown(critical: true)));
        var crls = Crls(CertificateRevocationList.Parse(der), Crl(root, []));

        var result = await Check(RevocationMode.Require, crls).CheckAsync(Path(), now, CancellationToken.None);

        Assert.Equal(RefusalReason.RevocationUnknown, result.Refusal);
        Assert.Contains("unknown critical CRL extension", result.Detail);
    }

    [Fact]
    public async Task A_remove_from_crl_entry_leaves_the_certificate_good()
    {
        var crls = Crls(Crl(issuing, [new RevocationEntry(leaf.SerialNumberBytes.ToArray(), now.AddHours(-2), X509RevocationReason.RemoveFromCrl)]), Crl(root, []));

        var result = await Check(RevocationMode.Require, crls).CheckAsync(Path(), now, CancellationToken.None);

        Assert.True(result.Passed, result.Detail);
    }

    [Fact]
    public async Task An_issuer_key_without_crl_sign_cannot_vouch_for_its_crl()
    {
        using var noCrlSign = root.CreateIntermediate("CN=No CRLSign CA", profile => profile.KeyUsage = X509KeyUsageFlags.KeyCertSign);
        using var client = noCrlSign.Issue("CN=client-2");
        var crls = Crls(Crl(noCrlSign, []), Crl(root, []));
        var path = new CertificatePath([client, noCrlSign.Certificate, root.Certificate]);

        var result = await Check(RevocationMode.Require, crls).CheckAsync(path, now, CancellationToken.None);

        Assert.Equal(RefusalReason.RevocationUnknown, result.Refusal);
        Assert.Contains("does not allow cRLSign", result.Detail);
    }

    [Fact]
    public async Task A_separate_crl_signer_certified_by_the_same_ca_is_accepted_and_its_revocation_refuses()
    {
        using var signer = root.Issue(issuing.Name.Name, profile => profile.CrlSigner());
        var signedBySigner = issuing.CreateCrl(crl => Dated(crl).Revoke([0x77], revokedAt: now.AddHours(-1)).Signer = signer);
        var path = new CertificatePath([leaf, issuing.Certificate, root.Certificate], [signer]);

        var goodSigner = Crls(CertificateRevocationList.Parse(signedBySigner), Crl(root, []));
        var revokedSigner = Crls(CertificateRevocationList.Parse(signedBySigner), Crl(root, [new RevocationEntry(signer.SerialNumberBytes.ToArray(), now.AddHours(-1), X509RevocationReason.KeyCompromise)]));
        var signerUnknown = Crls(CertificateRevocationList.Parse(signedBySigner));

        var good = await Check(RevocationMode.Require, goodSigner).CheckAsync(path, now, CancellationToken.None);
        var revoked = await Check(RevocationMode.Require, revokedSigner).CheckAsync(path, now, CancellationToken.None);
        var unknown = await Check(RevocationMode.Require, signerUnknown, RevocationScope.EndEntity).CheckAsync(path, now, CancellationToken.None);

        Assert.True(good.Passed, good.Detail);
        Assert.Equal(RefusalReason.Revoked, revoked.Refusal);
        Assert.Contains("CRL signing certificate", revoked.Detail);
        Assert.Equal(RefusalReason.RevocationUnknown, unknown.Refusal);
    }

    [Fact]
    public async Task A_crl_signer_not_certified_by_the_issuers_ca_is_ignored()
    {
        using var otherRoot = TestCa.CreateRoot("CN=Check Root");
        using var rogueSigner = otherRoot.Issue(issuing.Name.Name, profile => profile.CrlSigner());
        var der = issuing.CreateCrl(crl => Dated(crl).Signer = rogueSigner);
        var path = new CertificatePath([leaf, issuing.Certificate, root.Certificate], [rogueSigner]);

        var result = await Check(RevocationMode.Require, Crls(CertificateRevocationList.Parse(der), Crl(root, []))).CheckAsync(path, now, CancellationToken.None);

        Assert.Equal(RefusalReason.RevocationUnknown, result.Refusal);
    }

    [Fact]
    public async Task Rsa_pkcs1_and_pss_signed_crls_verify()
    {
        using var rsaRoot = TestCa.CreateRoot("CN=RSA Root", profile => profile.Key = KeySpec.Rsa2048);
        using var client = rsaRoot.Issue("CN=client-rsa");
        var path = new CertificatePath([client, rsaRoot.Certificate]);
        foreach (var padding in new[] { RSASignaturePadding.Pkcs1, RSASignaturePadding.Pss })
        {
            var builder = new CertificateRevocationListBuilder();
            builder.AddEntry(client, now.AddMinutes(-10), X509RevocationReason.Superseded);
            var der = builder.Build(rsaRoot.Certificate, BigInteger.One, now.AddDays(1), HashAlgorithmName.SHA384, padding, now.AddHours(-1));

            var result = await Check(RevocationMode.Require, Crls(CertificateRevocationList.Parse(der))).CheckAsync(path, now, CancellationToken.None);

            Assert.Equal(RefusalReason.Revoked, result.Refusal);
            Assert.Contains("superseded", result.Detail);
        }
    }

    [Theory]
    [InlineData("http://crl.example/issuing.crl", false, true)]
    [InlineData("http://crl.example/other-partition.crl", false, false)]
    [InlineData(null, true, false)]
    public async Task An_issuing_distribution_point_limits_which_certificates_the_crl_covers(string? crlUri, bool onlyCa, bool covers)
    {
        using var client = issuing.Issue("CN=partitioned-client", profile => profile.CrlDistributionPoints.Add("http://crl.example/issuing.crl"));
        var der = issuing.CreateCrl(crl => Dated(crl).Extensions.Add(TestExtensions.IssuingDistributionPoint(crlUri, onlyCaCertificates: onlyCa)));
        var crls = Crls(CertificateRevocationList.Parse(der));

        var result = await Check(RevocationMode.Require, crls, RevocationScope.EndEntity)
            .CheckAsync(new CertificatePath([client, issuing.Certificate, root.Certificate]), now, CancellationToken.None);

        Assert.Equal(covers, result.Passed);
        if (!covers)
        {
            Assert.Equal(RefusalReason.RevocationUnknown, result.Refusal);
        }
    }

    [Fact]
    public async Task Sources_are_asked_in_order_until_one_knows()
    {
        var crls = Crls(Crl(issuing, []), Crl(root, []));
        var observed = new List<RevocationState>();
        var check = new RevocationCheck(
            RevocationMode.Require,
            RevocationScope.Chain,
            [new CrlFileRevocationSource(() => CrlSet.Empty, Skew), new CrlFileRevocationSource(() => crls, Skew)],
            status => observed.Add(status.State));

        var result = await check.CheckAsync(Path(), now, CancellationToken.None);

        Assert.True(result.Passed, result.Detail);
        Assert.Equal([RevocationState.Unknown, RevocationState.Good, RevocationState.Unknown, RevocationState.Good], observed);
    }

    [Fact]
    public async Task Require_without_any_crl_explains_each_source()
    {
        var result = await Check(RevocationMode.Require, CrlSet.Empty).CheckAsync(Path(), now, CancellationToken.None);

        Assert.Equal(RefusalReason.RevocationUnknown, result.Refusal);
        Assert.Contains("crl-file: no CRL issued by 'CN=Check Issuing CA'", result.Detail);
    }

    [Fact]
    public async Task Off_checks_nothing_and_require_without_sources_is_a_configuration_error()
    {
        var crls = Crls(Crl(issuing, [new RevocationEntry(leaf.SerialNumberBytes.ToArray(), now)]));

        var off = await Check(RevocationMode.Off, crls).CheckAsync(Path(), now, CancellationToken.None);

        Assert.True(off.Passed);
        Assert.NotNull(RevocationCheck.ConfigurationProblem(RevocationMode.Require, 0));
        Assert.Null(RevocationCheck.ConfigurationProblem(RevocationMode.BestEffort, 0));
        Assert.Null(RevocationCheck.ConfigurationProblem(RevocationMode.Require, 1));
        Assert.Throws<ArgumentException>(() => new RevocationCheck(RevocationMode.Require, RevocationScope.Chain, []));
    }

    [Fact]
    public async Task A_failing_source_counts_as_unknown_and_the_next_source_is_asked()
    {
        var crls = Crls(Crl(issuing, [new RevocationEntry(leaf.SerialNumberBytes.ToArray(), now, X509RevocationReason.KeyCompromise)]));
        var failing = new CrlFileRevocationSource(() => throw new IOException("disk gone"), Skew);

        var alone = await new RevocationCheck(RevocationMode.Require, RevocationScope.EndEntity, [failing]).CheckAsync(Path(), now, CancellationToken.None);
        var withFallback = await new RevocationCheck(RevocationMode.Require, RevocationScope.EndEntity, [failing, new CrlFileRevocationSource(() => crls, Skew)]).CheckAsync(Path(), now, CancellationToken.None);

        Assert.Equal(RefusalReason.RevocationUnknown, alone.Refusal);
        Assert.Contains("the source failed (IOException)", alone.Detail);
        Assert.DoesNotContain("disk gone", alone.Detail);
        Assert.Equal(RefusalReason.Revoked, withFallback.Refusal);
    }

    private static RevocationCheck Check(RevocationMode mode, CrlSet crls, RevocationScope scope = RevocationScope.Chain) =>
        new(mode, scope, [new CrlFileRevocationSource(() => crls, Skew)]);

    private static CrlSet Crls(params CertificateRevocationList[] crls) => new(crls);

    private CertificatePath Path() => new([leaf, issuing.Certificate, root.Certificate]);

    private CertificateRevocationList Crl(TestCa ca, IEnumerable<RevocationEntry> entries, DateTimeOffset? thisUpdate = null, DateTimeOffset? nextUpdate = null) =>
        CertificateRevocationList.Parse(ca.CreateCrl(crl =>
        {
            Dated(crl, thisUpdate, nextUpdate).Add(entries);
            crl.Number = 1;
        }));

    /// <summary>Valid from an hour ago for a day, unless told otherwise; no CRL number unless the caller sets one.</summary>
    private CrlProfile Dated(CrlProfile crl, DateTimeOffset? thisUpdate = null, DateTimeOffset? nextUpdate = null)
    {
        crl.ThisUpdate = thisUpdate ?? now.AddHours(-1);
        crl.NextUpdate = nextUpdate ?? now.AddDays(1);
        crl.Number = null;
        return crl;
    }
}
