using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;

namespace MtlsGateway.Tests.Revocation.Crl;

/// <summary>
/// Indirect CRLs (RFC 5280 5.2.5, 5.3.3, 6.3.3 b.1): a CRL issuer other than the certificate's issuer, authorised by
/// the certificate's cRLIssuer, listing certificates of several issuers through certificateIssuer entries.
/// </summary>
public sealed class IndirectCrlTests : IDisposable
{
    private const string IndirectUrl = "http://crl.example/indirect.crl";

    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private readonly TestCa root = TestCa.CreateRoot("Indirect Root");
    private readonly TestCa issuingA;
    private readonly TestCa issuingB;
    private readonly TestCa crlIssuer;

    public IndirectCrlTests()
    {
        issuingA = root.CreateIntermediate("Issuing CA A");
        issuingB = root.CreateIntermediate("Issuing CA B");
        crlIssuer = root.CreateIntermediate("Indirect CRL Issuer", System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.CrlSign);
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
        using var leaf = issuingA.IssueLeaf("indirect-client", extensions: [NamesIndirectIssuer()]);
        var indirect = IndirectCrl([new TestCrlEntry(leaf.SerialNumberBytes.ToArray(), now.AddHours(-1), X509RevocationReason.KeyCompromise, CertificateIssuer: issuingA.Name)]);

        var status = Evaluate([indirect, RootCrl()], leaf, issuingA);

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Contains("Indirect CRL Issuer", status.Detail);
    }

    [Fact]
    public void Entries_inherit_the_certificate_issuer_of_the_entry_before_them()
    {
        using var leaf = issuingA.IssueLeaf("inherits", extensions: [NamesIndirectIssuer()]);
        var serial = leaf.SerialNumberBytes.ToArray();
        var listedUnderB = IndirectCrl([
            new TestCrlEntry([0x01], now.AddHours(-1), CertificateIssuer: issuingB.Name),
            new TestCrlEntry(serial, now.AddHours(-1), X509RevocationReason.KeyCompromise),
        ]);
        var listedUnderA = IndirectCrl([
            new TestCrlEntry([0x01], now.AddHours(-1), CertificateIssuer: issuingA.Name),
            new TestCrlEntry(serial, now.AddHours(-1), X509RevocationReason.KeyCompromise),
        ]);
        var listedUnderTheCrlIssuer = IndirectCrl([new TestCrlEntry(serial, now.AddHours(-1), X509RevocationReason.KeyCompromise)]);

        Assert.Equal(RevocationState.Good, Evaluate([listedUnderB, RootCrl()], leaf, issuingA).State);
        Assert.Equal(RevocationState.Revoked, Evaluate([listedUnderA, RootCrl()], leaf, issuingA).State);
        Assert.Equal(RevocationState.Good, Evaluate([listedUnderTheCrlIssuer, RootCrl()], leaf, issuingA).State);
    }

    [Fact]
    public void An_indirect_crl_cannot_speak_for_certificates_that_do_not_name_its_issuer()
    {
        // The indirect CRL lists B's certificate, but B's certificates name no cRLIssuer: B's own CRL decides.
        using var leaf = issuingB.IssueLeaf("not-delegated");
        var claimsB = IndirectCrl([new TestCrlEntry(leaf.SerialNumberBytes.ToArray(), now.AddHours(-1), X509RevocationReason.KeyCompromise, CertificateIssuer: issuingB.Name)]);

        Assert.Equal(RevocationState.Good, Evaluate([claimsB, Crl(issuingB, []), RootCrl()], leaf, issuingB).State);
        Assert.Equal(RevocationState.Unknown, Evaluate([claimsB, RootCrl()], leaf, issuingB).State);
    }

    [Fact]
    public void A_certificate_issuer_entry_in_a_crl_that_is_not_indirect_makes_it_unusable()
    {
        // A's direct CRL claims to list a certificate of B: it can neither revoke B's certificate nor be trusted for A's.
        using var leafOfB = issuingB.IssueLeaf("b-client");
        using var leafOfA = issuingA.IssueLeaf("a-client");
        var crlOfA = Crl(issuingA, [new TestCrlEntry(leafOfB.SerialNumberBytes.ToArray(), now.AddHours(-1), X509RevocationReason.KeyCompromise, CertificateIssuer: issuingB.Name)]);

        var forA = Evaluate([crlOfA, RootCrl()], leafOfA, issuingA);
        var forB = Evaluate([crlOfA, Crl(issuingB, []), RootCrl()], leafOfB, issuingB);

        Assert.Equal(RevocationState.Unknown, forA.State);
        Assert.Contains("not an indirect CRL", forA.Detail);
        Assert.Equal(RevocationState.Good, forB.State);
    }

    [Fact]
    public void A_crl_of_the_named_crl_issuer_must_be_indirect()
    {
        using var leaf = issuingA.IssueLeaf("needs-indirect", extensions: [NamesIndirectIssuer()]);
        var direct = Crl(crlIssuer, [], TestCrlWriter.IssuingDistributionPoint(IndirectUrl));

        var status = Evaluate([direct, RootCrl()], leaf, issuingA);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("is not an indirect CRL", status.Detail);
    }

    [Fact]
    public void A_crl_issuer_certified_outside_the_certificates_path_is_refused()
    {
        // A sibling CA under the same root certifies its own "Indirect CRL Issuer": RFC 5280 would accept its path to
        // the same anchor, but it is not the CA that the certificate's path trusts to speak for A's certificates.
        using var rogue = issuingB.CreateIntermediate("Indirect CRL Issuer", X509KeyUsageFlags.CrlSign);
        using var leaf = issuingA.IssueLeaf("sibling-attack", extensions: [NamesIndirectIssuer()]);
        var forged = CertificateRevocationList.Parse(TestCrlWriter.Write(
            crlIssuer.Name, rogue.SignatureGenerator(), now.AddHours(-1), now.AddDays(1), [], [TestCrlWriter.CrlNumber(1), TestCrlWriter.IssuingDistributionPoint(IndirectUrl, indirect: true)]));
        var path = new CertificatePath([leaf, issuingA.Certificate, root.Certificate], [rogue.Certificate, issuingB.Certificate]);

        var status = new CrlStatusEvaluator(TimeSpan.FromMinutes(5)).Evaluate("crl-file", new CrlSet([forged, RootCrl(), Crl(issuingB, [])]), path, 0, now);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("was not certified by a CA of the certificate's path", status.Detail);
    }

    [Fact]
    public void A_crl_issuer_certified_by_the_certificates_own_ca_may_be_an_end_entity_and_is_itself_checked()
    {
        using var delegated = issuingA.IssueCrlSigner(new X500DistinguishedName("CN=Delegated CRL Issuer"));
        var point = TestDistributionPoints.Extension(new TestDistributionPoint(Uri: IndirectUrl, CrlIssuer: delegated.SubjectName));
        using var leaf = issuingA.IssueLeaf("delegated", extensions: [point]);
        var signer = System.Security.Cryptography.X509Certificates.X509SignatureGenerator.CreateForECDsa(delegated.GetECDsaPrivateKey()!);
        var indirect = CertificateRevocationList.Parse(TestCrlWriter.Write(
            delegated.SubjectName, signer, now.AddHours(-1), now.AddDays(1), [], [TestCrlWriter.CrlNumber(1), TestCrlWriter.IssuingDistributionPoint(IndirectUrl, indirect: true)]));
        var path = new CertificatePath([leaf, issuingA.Certificate, root.Certificate], [delegated]);
        var evaluator = new CrlStatusEvaluator(TimeSpan.FromMinutes(5));

        var delegatedGood = evaluator.Evaluate("crl-file", new CrlSet([indirect, Crl(issuingA, [])]), path, 0, now);
        var delegatedRevoked = evaluator.Evaluate("crl-file", new CrlSet([indirect, Crl(issuingA, [new TestCrlEntry(delegated.SerialNumberBytes.ToArray(), now.AddHours(-1), X509RevocationReason.KeyCompromise)])]), path, 0, now);
        var delegatedUnknown = evaluator.Evaluate("crl-file", new CrlSet([indirect]), path, 0, now);

        Assert.Equal(RevocationState.Good, delegatedGood.State);
        Assert.Equal(RevocationState.Revoked, delegatedRevoked.State);
        Assert.Contains("CRL signing certificate 'CN=Delegated CRL Issuer'", delegatedRevoked.Detail);
        Assert.Equal(RevocationState.Unknown, delegatedUnknown.State);
    }

    private X509Extension NamesIndirectIssuer() =>
        TestDistributionPoints.Extension(new TestDistributionPoint(Uri: IndirectUrl, CrlIssuer: crlIssuer.Name));

    private RevocationStatus Evaluate(CertificateRevocationList[] crls, X509Certificate2 leaf, TestCa issuer) =>
        new CrlStatusEvaluator(TimeSpan.FromMinutes(5)).Evaluate(
            "crl-file", new CrlSet(crls), new CertificatePath([leaf, issuer.Certificate, root.Certificate], [crlIssuer.Certificate, issuingA.Certificate, issuingB.Certificate]), 0, now);

    private CertificateRevocationList IndirectCrl(IEnumerable<TestCrlEntry> entries) =>
        Crl(crlIssuer, entries, TestCrlWriter.IssuingDistributionPoint(IndirectUrl, indirect: true));

    private CertificateRevocationList RootCrl() => Crl(root, []);

    private CertificateRevocationList Crl(TestCa ca, IEnumerable<TestCrlEntry> entries, params X509Extension[] extensions) =>
        CertificateRevocationList.Parse(TestCrlWriter.Write(ca.Name, ca.SignatureGenerator(), now.AddHours(-1), now.AddDays(1), entries, [TestCrlWriter.CrlNumber(1), .. extensions]));
}
