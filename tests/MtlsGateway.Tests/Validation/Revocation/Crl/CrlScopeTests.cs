using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;

namespace MtlsGateway.Tests.Validation.Revocation.Crl;

/// <summary>Which certificates a CRL covers (RFC 5280 6.3.3 b, d, e): distribution point names, user/CA/attribute certificates, reason partitions.</summary>
public sealed class CrlScopeTests : IDisposable
{
    private static readonly X509RevocationReason[] Compromise = [X509RevocationReason.KeyCompromise, X509RevocationReason.CACompromise];

    private static readonly X509RevocationReason[] OtherReasons =
    [
        X509RevocationReason.AffiliationChanged, X509RevocationReason.Superseded, X509RevocationReason.CessationOfOperation,
        X509RevocationReason.CertificateHold, X509RevocationReason.PrivilegeWithdrawn, X509RevocationReason.AACompromise,
    ];

    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private readonly TestCa root = TestCa.CreateRoot("CN=Scope Root");
    private readonly TestCa issuing;

    public CrlScopeTests() => issuing = root.CreateIntermediate("CN=Scope Issuing CA");

    public void Dispose()
    {
        issuing.Dispose();
        root.Dispose();
    }

    [Fact]
    public void A_crl_for_end_entities_only_does_not_cover_a_ca_certificate()
    {
        // The root's CRL claims onlyContainsUserCerts: it never lists CAs, so it cannot say the issuing CA is good.
        var userOnly = Crl(root, [], TestExtensions.IssuingDistributionPoint(null, onlyUserCertificates: true));
        using var leaf = issuing.Issue("CN=user-cert");
        var path = new CertificatePath([leaf, issuing.Certificate, root.Certificate]);

        var forCa = Evaluate(Crls(userOnly), path, 1);

        Assert.Equal(RevocationState.Unknown, forCa.State);
        Assert.Contains("covers only end-entity certificates", forCa.Detail);
    }

    [Fact]
    public void A_crl_for_ca_certificates_only_does_not_cover_an_end_entity()
    {
        using var leaf = issuing.Issue("CN=ee");

        var status = Evaluate(Crls(Crl(issuing, [], TestExtensions.IssuingDistributionPoint(null, onlyCaCertificates: true))), Path(leaf), 0);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("covers only CA certificates", status.Detail);
    }

    [Fact]
    public void A_crl_for_attribute_certificates_covers_no_public_key_certificate()
    {
        using var leaf = issuing.Issue("CN=ee");

        var status = Evaluate(Crls(Crl(issuing, [], TestExtensions.IssuingDistributionPoint(null, onlyAttributeCertificates: true))), Path(leaf), 0);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("only attribute certificates", status.Detail);
    }

    [Fact]
    public void A_crl_claiming_two_exclusive_scopes_is_unusable()
    {
        using var leaf = issuing.Issue("CN=ee");

        var status = Evaluate(Crls(Crl(issuing, [], TestExtensions.IssuingDistributionPoint(null, onlyUserCertificates: true, onlyCaCertificates: true))), Path(leaf), 0);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("more than one of", status.Detail);
    }

    [Theory]
    [InlineData("CN=CRL1", "CN=CRL1", true)]
    [InlineData("CN=CRL1", "CN=CRL2", false)]
    public void A_name_relative_to_the_crl_issuer_matches_the_same_full_name(string certificateRelative, string crlRelative, bool covers)
    {
        // One certificate names "<issuer>, CN=CRL1" in full, the other relative to its issuer; the CRL names its point relative to itself.
        var asFullName = TestExtensions.CrlDistributionPoints(new DistributionPoint(DirectoryName: Appended(issuing.Name, certificateRelative)));
        var asRelativeName = TestExtensions.CrlDistributionPoints(new DistributionPoint(RelativeName: certificateRelative));
        using var fullNamed = issuing.Issue("CN=full", profile => profile.Extensions.Add(asFullName));
        using var relativeNamed = issuing.Issue("CN=relative", profile => profile.Extensions.Add(asRelativeName));
        var crls = Crls(Crl(issuing, [], TestExtensions.IssuingDistributionPoint(null, relativeName: crlRelative)));

        Assert.Equal(covers ? RevocationState.Good : RevocationState.Unknown, Evaluate(crls, Path(fullNamed), 0).State);
        Assert.Equal(covers ? RevocationState.Good : RevocationState.Unknown, Evaluate(crls, Path(relativeNamed), 0).State);
    }

    [Fact]
    public void A_crl_naming_a_distribution_point_does_not_cover_a_certificate_naming_none()
    {
        using var leaf = issuing.Issue("CN=no-cdp");

        var status = Evaluate(Crls(Crl(issuing, [], TestExtensions.IssuingDistributionPoint("http://crl.example/partition-1.crl"))), Path(leaf), 0);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("which the certificate does not name", status.Detail);
    }

    [Fact]
    public void Reason_partitioned_crls_count_only_together()
    {
        using var leaf = issuing.Issue("CN=partitioned");
        var compromise = Crl(issuing, [], TestExtensions.IssuingDistributionPoint(null, onlySomeReasons: Compromise));
        var others = Crl(issuing, [], TestExtensions.IssuingDistributionPoint(null, onlySomeReasons: OtherReasons));

        var compromiseOnly = Evaluate(Crls(compromise), Path(leaf), 0);
        var othersOnly = Evaluate(Crls(others), Path(leaf), 0);
        var both = Evaluate(Crls(compromise, others), Path(leaf), 0);

        Assert.Equal(RevocationState.Unknown, compromiseOnly.State);
        Assert.Contains("cover only keyCompromise, cACompromise", compromiseOnly.Detail);
        Assert.Equal(RevocationState.Unknown, othersOnly.State);
        Assert.Contains("none covers keyCompromise, cACompromise", othersOnly.Detail);
        Assert.Equal(RevocationState.Good, both.State);
    }

    [Fact]
    public void A_partition_that_lists_the_certificate_revokes_it_whichever_partition_is_read_first()
    {
        using var leaf = issuing.Issue("CN=held");
        var held = new RevocationEntry(leaf.SerialNumberBytes.ToArray(), now.AddHours(-2), X509RevocationReason.CertificateHold);
        var compromise = Crl(issuing, [], TestExtensions.IssuingDistributionPoint(null, onlySomeReasons: Compromise));
        var others = Crl(issuing, [held], TestExtensions.IssuingDistributionPoint(null, onlySomeReasons: OtherReasons));

        Assert.Equal(RevocationState.Revoked, Evaluate(Crls(compromise, others), Path(leaf), 0).State);
        Assert.Equal(RevocationState.Revoked, Evaluate(Crls(others, compromise), Path(leaf), 0).State);
    }

    [Fact]
    public void Partitions_must_cover_every_reason_unused_bit_aside()
    {
        using var leaf = issuing.Issue("CN=gap");
        var first = Crl(issuing, [], TestExtensions.IssuingDistributionPoint(null, onlySomeReasons: Compromise));
        var missingAaCompromise = Crl(issuing, [], TestExtensions.IssuingDistributionPoint(null, onlySomeReasons: OtherReasons[..^1]));

        var status = Evaluate(Crls(first, missingAaCompromise), Path(leaf), 0);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("none covers aACompromise", status.Detail);
    }

    [Fact]
    public void Distribution_points_limited_to_reasons_add_up_to_all_reasons()
    {
        var points = TestExtensions.CrlDistributionPoints(
            new DistributionPoint(Uri: "http://crl.example/compromise.crl", Reasons: Compromise),
            new DistributionPoint(Uri: "http://crl.example/others.crl", Reasons: OtherReasons));
        using var leaf = issuing.Issue("CN=two-points", profile => profile.Extensions.Add(points));
        var compromise = Crl(issuing, [], TestExtensions.IssuingDistributionPoint("http://crl.example/compromise.crl", onlySomeReasons: Compromise));
        var others = Crl(issuing, [], TestExtensions.IssuingDistributionPoint("http://crl.example/others.crl", onlySomeReasons: OtherReasons));
        var othersAtTheWrongPoint = Crl(issuing, [], TestExtensions.IssuingDistributionPoint("http://crl.example/compromise.crl", onlySomeReasons: OtherReasons));

        Assert.Equal(RevocationState.Good, Evaluate(Crls(compromise, others), Path(leaf), 0).State);
        Assert.Equal(RevocationState.Unknown, Evaluate(Crls(compromise, othersAtTheWrongPoint), Path(leaf), 0).State);
    }

    [Fact]
    public void A_malformed_distribution_points_extension_makes_the_status_unknown()
    {
        using var leaf = issuing.Issue("CN=malformed-cdp", profile => profile.Extensions.Add(new X509Extension(Oids.CrlDistributionPoints, [0x30, 0x03, 0x30, 0x01, 0xFF], critical: false)));

        var status = Evaluate(Crls(Crl(issuing, [])), Path(leaf), 0);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("distribution points extension", status.Detail);
        Assert.Contains("is malformed", status.Detail);
    }

    /// <summary>The issuer's RDNs followed by the one of <paramref name="relative"/>, as a Name.</summary>
    private static X500DistinguishedName Appended(X500DistinguishedName issuer, string relative)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            var rdns = new AsnReader(issuer.RawData, AsnEncodingRules.DER).ReadSequence();
            while (rdns.HasData)
            {
                writer.WriteEncodedValue(rdns.ReadEncodedValue().Span);
            }

            writer.WriteEncodedValue(new AsnReader(new X500DistinguishedName(relative).RawData, AsnEncodingRules.DER).ReadSequence().ReadEncodedValue().Span);
        }

        return new X500DistinguishedName(writer.Encode());
    }

    private static CrlSet Crls(params CertificateRevocationList[] crls) => new(crls);

    private RevocationStatus Evaluate(CrlSet crls, CertificatePath path, int index) =>
        new CrlStatusEvaluator(TimeSpan.FromMinutes(5)).Evaluate("crl-file", crls, path, index, now);

    private CertificatePath Path(X509Certificate2 leaf) => new([leaf, issuing.Certificate, root.Certificate]);

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
