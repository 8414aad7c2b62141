using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;

namespace MtlsGateway.Tests.Validation.Revocation.Crl;

/// <summary>Delta CRLs applied to their complete CRL (RFC 5280 5.2.4, 6.3.3 c, h, i to k), and the deltas that must not be.</summary>
public sealed class DeltaCrlTests : IDisposable
{
    private const string DeltaUrl = "http://crl.example/delta.crl";

    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private readonly TestCa root = TestCa.CreateRoot("CN=Delta Root");
    private readonly TestCa issuing;
    private readonly X509Certificate2 leaf;

    public DeltaCrlTests()
    {
        issuing = root.CreateIntermediate("CN=Delta Issuing CA");
        leaf = issuing.Issue("CN=delta-client");
    }

    public void Dispose()
    {
        leaf.Dispose();
        issuing.Dispose();
        root.Dispose();
    }

    [Fact]
    public void A_delta_revokes_a_certificate_its_base_does_not_list()
    {
        var status = Evaluate(Base(10, []), Delta(11, baseNumber: 10, [Listed(X509RevocationReason.KeyCompromise)]));

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Equal("keyCompromise", status.RevocationReason);
        Assert.Contains("delta CRL 11", status.Detail);
    }

    [Fact]
    public void Remove_from_crl_in_a_delta_releases_a_hold_of_the_base()
    {
        var held = Base(10, [Listed(X509RevocationReason.CertificateHold)]);

        Assert.Equal(RevocationState.Revoked, Evaluate(held).State);
        Assert.Equal(RevocationState.Good, Evaluate(held, Delta(11, baseNumber: 10, [Listed(X509RevocationReason.RemoveFromCrl)])).State);
    }

    [Fact]
    public void The_newest_applicable_delta_is_used()
    {
        var older = Delta(11, baseNumber: 10, [Listed(X509RevocationReason.CertificateHold)]);
        var newer = Delta(12, baseNumber: 10, [Listed(X509RevocationReason.RemoveFromCrl)]);

        Assert.Equal(RevocationState.Good, Evaluate(Base(10, []), older, newer).State);
        Assert.Equal(RevocationState.Revoked, Evaluate(Base(10, []), older).State);
    }

    [Fact]
    public void A_delta_built_on_a_newer_base_is_not_applied_and_the_status_is_unknown()
    {
        // The delta says what changed since complete CRL 20; the complete CRL at hand is 10, so revocations between
        // 10 and 20 would be missed: neither alone nor together do they tell the current status.
        var status = Evaluate(Base(10, []), Delta(21, baseNumber: 20, []));

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("a newer complete CRL exists", status.Detail);
    }

    [Fact]
    public void A_delta_no_newer_than_its_base_changes_nothing()
    {
        var held = Base(12, [Listed(X509RevocationReason.CertificateHold)]);

        Assert.Equal(RevocationState.Revoked, Evaluate(held, Delta(11, baseNumber: 10, [Listed(X509RevocationReason.RemoveFromCrl)])).State);
    }

    [Fact]
    public void A_delta_of_another_scope_is_not_applied()
    {
        // The delta belongs to a partition of the CRL (another issuingDistributionPoint): its removeFromCRL must not
        // release a hold that the complete CRL of the whole scope records.
        var held = Base(10, [Listed(X509RevocationReason.CertificateHold)]);
        var otherScope = Delta(11, baseNumber: 10, [Listed(X509RevocationReason.RemoveFromCrl)], TestExtensions.IssuingDistributionPoint("http://crl.example/partition.crl"));

        Assert.Equal(RevocationState.Revoked, Evaluate(held, otherScope).State);
    }

    [Fact]
    public void A_delta_signed_with_another_key_under_the_issuers_name_is_not_applied()
    {
        using var impostor = TestCa.CreateRoot("CN=Delta Issuing CA");
        var held = Base(10, [Listed(X509RevocationReason.CertificateHold)], announceDeltas: true);

        // The forger leaves the key identifier out, as it could not make it name its own key and pass.
        var forged = CertificateRevocationList.Parse(issuing.CreateCrl(crl =>
        {
            crl.Signer = impostor.Certificate;
            crl.AuthorityKeyIdentifier = false;
            crl.ThisUpdate = now.AddMinutes(-5);
            crl.NextUpdate = now.AddHours(1);
            crl.Number = 11;
            crl.Add([Listed(X509RevocationReason.RemoveFromCrl)]).DeltaOf(10);
        }));

        var status = Evaluate(held, forged);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("signature does not verify", status.Detail);
    }

    [Fact]
    public void A_delta_without_its_base_tells_nothing()
    {
        var status = Evaluate(Delta(11, baseNumber: 10, []));

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("only delta CRLs", status.Detail);
    }

    [Fact]
    public void A_base_announcing_deltas_needs_a_current_one()
    {
        var announcing = Base(10, [], announceDeltas: true);
        var stale = Delta(11, baseNumber: 10, [], thisUpdate: now.AddDays(-2), nextUpdate: now.AddDays(-1));

        var alone = Evaluate(announcing);
        var withStale = Evaluate(announcing, stale);
        var withCurrent = Evaluate(announcing, Delta(12, baseNumber: 10, []));

        Assert.Equal(RevocationState.Unknown, alone.State);
        Assert.Contains("announces delta CRLs", alone.Detail);
        Assert.Equal(RevocationState.Unknown, withStale.State);
        Assert.Contains("is stale", withStale.Detail);
        Assert.Equal(RevocationState.Good, withCurrent.State);
    }

    [Fact]
    public void An_expired_delta_does_not_let_the_older_base_speak_alone()
    {
        // The delta revoked the certificate after the complete CRL was issued, then expired: the complete CRL alone
        // would say good, though the CA said otherwise since.
        var expired = Delta(11, baseNumber: 10, [Listed(X509RevocationReason.KeyCompromise)], thisUpdate: now.AddDays(-2), nextUpdate: now.AddHours(-1));

        var status = Evaluate(Base(10, []), expired);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("has delta CRLs newer than itself, but none is current", status.Detail);
    }

    [Fact]
    public void The_answer_is_valid_until_the_earlier_next_update_of_base_and_delta()
    {
        var deltaNext = now.AddHours(2);

        var status = Evaluate(Base(10, []), Delta(11, baseNumber: 10, [], nextUpdate: deltaNext));

        Assert.Equal(RevocationState.Good, status.State);
        Assert.Equal(deltaNext.ToUnixTimeSeconds(), status.ValidUntil.ToUnixTimeSeconds());
    }

    [Fact]
    public void Twenty_octet_crl_numbers_order_bases_and_deltas()
    {
        // 2^159 + n: beyond what any machine integer holds, within what RFC 5280 requires verifiers to handle.
        var large = BigInteger.Pow(2, 159);

        var held = Base(large + 5, [Listed(X509RevocationReason.CertificateHold)]);
        var applies = Delta(large + 6, baseNumber: large + 5, [Listed(X509RevocationReason.RemoveFromCrl)]);
        var beyond = Delta(large + 8, baseNumber: large + 7, [Listed(X509RevocationReason.RemoveFromCrl)]);

        Assert.Equal(RevocationState.Good, Evaluate(held, applies).State);
        Assert.Equal(RevocationState.Unknown, Evaluate(held, applies, beyond).State);
    }

    [Fact]
    public void A_delta_without_a_crl_number_or_announcing_deltas_itself_is_unusable()
    {
        var unnumbered = CertificateRevocationList.Parse(issuing.CreateCrl(crl => crl.DeltaOf(10).Number = null));
        var announcing = CertificateRevocationList.Parse(issuing.CreateCrl(crl => crl.DeltaOf(10).Extensions.Add(TestExtensions.FreshestCrl(new DistributionPoint(Uri: DeltaUrl)))));

        Assert.Contains("without a CRL number", unnumbered.UnusableBecause);
        Assert.Contains("names a freshestCRL", announcing.UnusableBecause);
    }

    private RevocationEntry Listed(X509RevocationReason reason) => new(leaf.SerialNumberBytes.ToArray(), now.AddHours(-3), reason);

    private RevocationStatus Evaluate(params CertificateRevocationList[] crls) =>
        new CrlStatusEvaluator(TimeSpan.FromMinutes(5)).Evaluate("crl-file", new CrlSet(crls), new CertificatePath([leaf, issuing.Certificate, root.Certificate]), 0, now);

    private CertificateRevocationList Base(BigInteger number, IEnumerable<RevocationEntry> entries, bool announceDeltas = false) =>
        CertificateRevocationList.Parse(issuing.CreateCrl(crl =>
        {
            crl.ThisUpdate = now.AddDays(-1);
            crl.NextUpdate = now.AddDays(6);
            crl.Number = number;
            crl.Add(entries);
            if (announceDeltas)
            {
                crl.Extensions.Add(TestExtensions.FreshestCrl(new DistributionPoint(Uri: DeltaUrl)));
            }
        }));

    private CertificateRevocationList Delta(
        BigInteger number, BigInteger baseNumber, IEnumerable<RevocationEntry> entries, X509Extension? scope = null, DateTimeOffset? thisUpdate = null, DateTimeOffset? nextUpdate = null) =>
        CertificateRevocationList.Parse(issuing.CreateCrl(crl =>
        {
            crl.ThisUpdate = thisUpdate ?? now.AddMinutes(-5);
            crl.NextUpdate = nextUpdate ?? now.AddHours(4);
            crl.Number = number;
            crl.Add(entries).DeltaOf(baseNumber);
            if (scope is not null)
            {
                crl.Extensions.Add(scope);
            }
        }));
}
