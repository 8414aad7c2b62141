using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;

namespace MtlsGateway.Tests.Validation.Revocation.Crl;

/// <summary>
/// Indirect CRLs (RFC 5280 5.2.5, 5.3.3, 6.3.3 b.1): a CRL issuer other than the certificate's issuer, authorised by
/// the certificate's cRLIssuer, listing certificates of several issuers through certificateIssuer entries.
/// </summary>
public sealed class IndirectCrlTests : IDisposable
{
    private const string IndirectUrl = "http://crl.example/indirect.crl";

    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private readonly TestCa root = TestCa.CreateRoot("CN=Indirect Root");
    private readonly TestCa issuingA;
    private readonly TestCa issuingB;
    private readonly TestCa crlIssuer;

    public IndirectCrlTests()
    {
        issuingA = root.CreateIntermediate("CN=Issuing CA A");
        issuingB = root.CreateIntermediate("CN=Issuing CA B");
        crlIssuer = root.CreateIntermediate("CN=Indirect CRL Issuer", profile => profile.KeyUsage = X509KeyUsageFlags.CrlSign);
    }

    public void Dispose()
    {
        crlIssuer.Dispose();
        issuingB.Dispose();
        issuingA.Dispose();
        root.Dispose();
    }

    [Fact]
    public void An_indirect_crl_named_by_the_certificate_revokes_it_through_a_certificate_issuer_entry()
    {
        using var leaf = issuingA.Issue("CN=indirect-client", NamesIndirectIssuer);
        var indirect = IndirectCrl([Entry(leaf, issuingA.Name)]);

        var status = Evaluate([indirect, RootCrl()], leaf, issuingA);

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Contains("Indirect CRL Issuer", status.Detail);
    }

    [Fact]
    public void Entries_inherit_the_certificate_issuer_of_the_entry_before_them()
    {
        using var leaf = issuingA.Issue("CN=inherits", NamesIndirectIssuer);
        var serial = leaf.SerialNumberBytes.ToArray();
        var listedUnderB = IndirectCrl([
            new RevocationEntry([0x01], now.AddHours(-1), Extension: TestExtensions.CertificateIssuer(issuingB.Name)),
            new RevocationEntry(serial, now.AddHours(-1), X509RevocationReason.KeyCompromise),
        ]);
        var listedUnderA = IndirectCrl([
            new RevocationEntry([0x01], now.AddHours(-1), Extension: TestExtensions.CertificateIssuer(issuingA.Name)),
            new RevocationEntry(serial, now.AddHours(-1), X509RevocationReason.KeyCompromise),
        ]);
        var listedUnderTheCrlIssuer = IndirectCrl([new RevocationEntry(serial, now.AddHours(-1), X509RevocationReason.KeyCompromise)]);

        Assert.Equal(RevocationState.Good, Evaluate([listedUnderB, RootCrl()], leaf, issuingA).State);
        Assert.Equal(RevocationState.Revoked, Evaluate([listedUnderA, RootCrl()], leaf, issuingA).State);
        Assert.Equal(RevocationState.Good, Evaluate([listedUnderTheCrlIssuer, RootCrl()], leaf, issuingA).State);
    }

    [Fact]
    public void An_indirect_crl_cannot_speak_for_certificates_that_do_not_name_its_issuer()
    {
        // The indirect CRL lists B's certificate, but B's certificates name no cRLIssuer: B's own CRL decides.
        using var leaf = issuingB.Issue("CN=not-delegated");
        var claimsB = IndirectCrl([Entry(leaf, issuingB.Name)]);

        Assert.Equal(RevocationState.Good, Evaluate([claimsB, Crl(issuingB, []), RootCrl()], leaf, issuingB).State);
        Assert.Equal(RevocationState.Unknown, Evaluate([claimsB, RootCrl()], leaf, issuingB).State);
    }

    [Fact]
    public void A_certificate_issuer_entry_in_a_crl_that_is_not_indirect_makes_it_unusable()
    {
        // A's direct CRL claims to list a certificate of B: it can neither revoke B's certificate nor be trusted for A's.
        using var leafOfB = issuingB.Issue("CN=b-client");
        using var leafOfA = issuingA.Issue("CN=a-client");
        var crlOfA = Crl(issuingA, [Entry(leafOfB, issuingB.Name)]);

        var forA = Evaluate([crlOfA, RootCrl()], leafOfA, issuingA);
        var forB = Evaluate([crlOfA, Crl(issuingB, []), RootCrl()], leafOfB, issuingB);

        Assert.Equal(RevocationState.Unknown, forA.State);
        Assert.Contains("not an indirect CRL", forA.Detail);
        Assert.Equal(RevocationState.Good, forB.State);
    }

    [Fact]
    public void A_crl_of_the_named_crl_issuer_must_be_indirect()
    {
        using var leaf = issuingA.Issue("CN=needs-indirect", NamesIndirectIssuer);
        var direct = Crl(crlIssuer, [], TestExtensions.IssuingDistributionPoint(IndirectUrl));

        var status = Evaluate([direct, RootCrl()], leaf, issuingA);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("is not an indirect CRL", status.Detail);
    }

    [Fact]
    public void A_crl_issuer_certified_outside_the_certificates_path_is_refused()
    {
        // A sibling CA under the same root certifies its own "Indirect CRL Issuer": RFC 5280 would accept its path to
        // the same anchor, but it is not a CA that the certificate's path trusts to speak for A's certificates.
        using var rogue = issuingB.CreateIntermediate("CN=Indirect CRL Issuer", profile => profile.KeyUsage = X509KeyUsageFlags.CrlSign);
        using var leaf = issuingA.Issue("CN=sibling-attack", NamesIndirectIssuer);
        var forged = Crl(rogue, [], TestExtensions.IssuingDistributionPoint(IndirectUrl, indirectCrl: true));
        var path = new CertificatePath([leaf, issuingA.Certificate, root.Certificate], [rogue.Certificate, issuingB.Certificate]);

        var status = new CrlStatusEvaluator(TimeSpan.FromMinutes(5)).Evaluate("crl-file", new CrlSet([forged, RootCrl(), Crl(issuingB, [])]), path, 0, now);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("was not certified by a CA of the certificate's path", status.Detail);
    }

    [Fact]
    public void A_crl_issuer_certified_by_the_certificates_own_ca_may_be_an_end_entity_and_is_itself_checked()
    {
        using var delegated = issuingA.Issue("CN=Delegated CRL Issuer", profile => profile.CrlSigner());
        var point = TestExtensions.CrlDistributionPoints(new DistributionPoint(Uri: IndirectUrl, CrlIssuer: delegated.SubjectName));
        using var leaf = issuingA.Issue("CN=delegated", profile => profile.Extensions.Add(point));
        var indirect = CertificateRevocationList.Parse(TestCa.CreateCrl(delegated.SubjectName, delegated, crl =>
        {
            crl.ThisUpdate = now.AddHours(-1);
            crl.NextUpdate = now.AddDays(1);
            crl.Extensions.Add(TestExtensions.IssuingDistributionPoint(IndirectUrl, indirectCrl: true));
        }));
        var path = new CertificatePath([leaf, issuingA.Certificate, root.Certificate], [delegated]);
        var evaluator = new CrlStatusEvaluator(TimeSpan.FromMinutes(5));

        var delegatedGood = evaluator.Evaluate("crl-file", new CrlSet([indirect, Crl(issuingA, [])]), path, 0, now);
        var delegatedRevoked = evaluator.Evaluate("crl-file", new CrlSet([indirect, Crl(issuingA, [Entry(delegated, null)])]), path, 0, now);
        var delegatedUnknown = evaluator.Evaluate("crl-file", new CrlSet([indirect]), path, 0, now);

        Assert.Equal(RevocationState.Good, delegatedGood.State);
        Assert.Equal(RevocationState.Revoked, delegatedRevoked.State);
        Assert.Contains("CRL signing certificate 'CN=Delegated CRL Issuer'", delegatedRevoked.Detail);
        Assert.Equal(RevocationState.Unknown, delegatedUnknown.State);
    }

    private void NamesIndirectIssuer(CertificateProfile profile) =>
        profile.Extensions.Add(TestExtensions.CrlDistributionPoints(new DistributionPoint(Uri: IndirectUrl, CrlIssuer: crlIssuer.Name)));

    private RevocationEntry Entry(X509Certificate2 certificate, X500DistinguishedName? certificateIssuer) =>
        new(certificate.SerialNumberBytes.ToArray(), now.AddHours(-1), X509RevocationReason.KeyCompromise, Extension: certificateIssuer is null ? null : TestExtensions.CertificateIssuer(certificateIssuer));

    private RevocationStatus Evaluate(CertificateRevocationList[] crls, X509Certificate2 leaf, TestCa issuer) =>
        new CrlStatusEvaluator(TimeSpan.FromMinutes(5)).Evaluate(
            "crl-file", new CrlSet(crls), new CertificatePath([leaf, issuer.Certificate, root.Certificate], [crlIssuer.Certificate, issuingA.Certificate, issuingB.Certificate]), 0, now);

    private CertificateRevocationList IndirectCrl(IEnumerable<RevocationEntry> entries) =>
        Crl(crlIssuer, entries, TestExtensions.IssuingDistributionPoint(IndirectUrl, indirectCrl: true));

    private CertificateRevocationList RootCrl() => Crl(root, []);

    private CertificateRevocationList Crl(TestCa ca, IEnumerable<RevocationEntry> entries, params X509Extension[] extensions) =>
        CertificateRevocationList.Parse(ca.CreateCrl(crl =>
        {
            crl.ThisUpdate = now.AddHours(-1);
            crl.NextUpdate = now.AddDays(1);
            crl.Add(entries);
            foreach (var extension in extensions)
            {
                crl.Extensions.Add(extension);
            }
        }));
}
