using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Identity;

namespace MtlsGateway.Tests.Validation.Identity;

/// <summary>
/// One Allow rule against real certificates: every field it sets must match, any value of a field may; the fields read
/// the subject, the alternative names, the issuer and the pins, each with its own case and normalisation rules.
/// </summary>
public sealed class CertificateRuleTests : IClassFixture<CertificateRuleTests.Issuer>
{
    private readonly Issuer issuer;

    public CertificateRuleTests(Issuer issuer) => this.issuer = issuer;

    public static TheoryData<string, string, string, bool> SubjectCases() => new()
    {
        // field, rule value, certificate subject, admitted
        { "CommonNames", "alice", "CN=alice, O=Acme", true },
        { "CommonNames", "alice", "CN=Alice, O=Acme", false },
        { "CommonNames", "alice", "CN=alicia, O=Acme", false },
        { "CommonNames", "alice", "CN=alice2", false },
        { "CommonNames", "alice", "CN=xalice", false },
        { "CommonNames", "alice", "O=alice", false },
        { "CommonNames", "alice", "OU=alice", false },
        { "CommonNames", "svc-*", "CN=svc-orders", true },
        { "CommonNames", "svc-*", "CN=orders-svc", false },
        { "Organizations", "Acme", "CN=x, O=Acme", true },
        { "Organizations", "Acme", "CN=x, O=Acme Corp", false },
        { "Organizations", "Acme", "CN=x, O=acme", false },
        { "Organizations", "Acme", "CN=Acme", false },
        { "OrganizationalUnits", "Payments", "CN=x, OU=Payments, O=Acme", true },
        { "OrganizationalUnits", "Payments", "CN=x, OU=Cards, O=Acme", false },
        { "Subjects", "CN=carol,O=Acme", "CN=carol, O=Acme", true },
        { "Subjects", "CN=carol, O=Acme", "CN=carol, O=Acme", true },
        { "Subjects", "CN=carol,O=Acme", "CN=carol, O=Acme2", false },
        { "Subjects", "CN=carol,O=Acme", "CN=carol, O=Acme, C=US", false },
        { "Subjects", "CN=carol,O=Acme", "CN=carol", false },
        { "Subjects", "CN=carol,O=Acme", "O=Acme, CN=carol", false },
        { "Subjects", "CN=carol,O=Acme", "CN=carol\\, O=Acme", false },
        { "Subjects", "CN=*,O=Acme", "CN=anyone, O=Acme", true },
        { "Subjects", "CN=*,O=Acme", "CN=anyone, O=Other", false },
    };

    [Theory]
    [MemberData(nameof(SubjectCases))]
    public void Subject_fields(string field, string value, string subject, bool admitted)
    {
        using var certificate = issuer.Ca.Issue(subject);

        Assert.Equal(admitted, Rule((field, [value])).Matches(new CertificateIdentity(certificate)));
    }

    [Theory]
    [InlineData("alice ")]
    [InlineData(" alice")]
    [InlineData("alice\n")]
    [InlineData("alice\0")]
    [InlineData("alice\0admin")]
    public void A_common_name_that_only_looks_like_the_rule_value_is_refused(string commonName)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(commonName);
        using var certificate = issuer.Ca.Issue(name.Build());

        Assert.False(Rule(("CommonNames", ["alice"])).Matches(new CertificateIdentity(certificate)));
    }

    public static TheoryData<string, string, string, bool> AlternativeNameCases() => new()
    {
        // field, rule value, SAN ("dns:", "uri:" or "email:" and the value), admitted
        { "DnsNames", "*.svc.example", "dns:api.svc.example", true },
        { "DnsNames", "*.svc.example", "dns:API.SVC.EXAMPLE", true },
        { "DnsNames", "*.svc.example", "dns:api.svc.example.", true },
        { "DnsNames", "*.svc.example", "dns:a.b.svc.example", false },
        { "DnsNames", "*.svc.example", "dns:svc.example", false },
        { "DnsNames", "*.svc.example", "dns:api.svc.example.attacker.example", false },
        { "DnsNames", "*.svc.example", "dns:api.svc.example\0.attacker.example", false },
        { "DnsNames", "*.svc.example", "dns:api.svc.example\n", false },
        { "DnsNames", "*.svc.example", "uri:https://api.svc.example/", false },
        { "DnsNames", "api.svc.example", "email:ops@api.svc.example", false },
        { "Uris", "spiffe://example.org/ns/payments/*", "uri:spiffe://example.org/ns/payments/sa/api", true },
        { "Uris", "spiffe://example.org/ns/payments/*", "uri:spiffe://example.org/ns/cards/sa/api", false },
        { "Uris", "spiffe://example.org/ns/payments/*", "uri:spiffe://example.org/ns/Payments/sa/api", false },
        { "Uris", "spiffe://example.org/ns/payments/*", "uri:spiffe://example.org.attacker.example/ns/payments/sa/api", false },
        { "Uris", "spiffe://example.org/ns/payments/*", "dns:example.org", false },
        { "Emails", "ops@example.org", "email:ops@example.org", true },
        { "Emails", "ops@example.org", "email:OPS@Example.ORG", true },
        { "Emails", "ops@example.org", "email:dev@example.org", false },
        { "Emails", "ops@example.org", "email:ops@example.org.attacker.example", false },
        { "Emails", "ops@example.org", "email:ops@example.org\0", false },
        { "Emails", "ops@example.org", "uri:mailto:ops@example.org", false },
    };

    [Theory]
    [MemberData(nameof(AlternativeNameCases))]
    public void Alternative_name_fields(string field, string value, string alternativeName, bool admitted)
    {
        using var certificate = issuer.Ca.Issue("CN=workload", profile => profile.SubjectAlternativeNames.Add(GeneralName.Parse(alternativeName)));

        Assert.Equal(admitted, Rule((field, [value])).Matches(new CertificateIdentity(certificate)));
    }

    [Fact]
    public void A_certificate_without_alternative_names_matches_no_name_field()
    {
        using var certificate = issuer.Ca.Issue("CN=api.svc.example");
        var identity = new CertificateIdentity(certificate);

        Assert.False(Rule(("DnsNames", ["*"])).Matches(identity));
        Assert.False(Rule(("Uris", ["*"])).Matches(identity));
        Assert.False(Rule(("Emails", ["*"])).Matches(identity));
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0xBC }, "0a:bc", true)]
    [InlineData(new byte[] { 0x0A, 0xBC }, "0ABC", true)]
    [InlineData(new byte[] { 0x0A, 0xBC }, "00:0a:bc", true)]
    [InlineData(new byte[] { 0x0A, 0xBC }, "0a bc", true)]
    [InlineData(new byte[] { 0x0A, 0xBC }, "0a:bd", false)]
    [InlineData(new byte[] { 0x0A, 0xBC }, "0a:bc:00", false)]
    [InlineData(new byte[] { 0x0A, 0xBC }, "bc", false)]
    [InlineData(new byte[] { 0x00, 0x8A }, "8a", true)]
    [InlineData(new byte[] { 0x00, 0x8A }, "00:8A", true)]
    public void Serial_numbers_ignore_case_colons_and_leading_zero_octets(byte[] serial, string value, bool admitted)
    {
        using var certificate = issuer.Ca.Issue("CN=serial", profile => profile.Serial = serial);

        Assert.Equal(admitted, Rule(("SerialNumbers", [value])).Matches(new CertificateIdentity(certificate)));
    }

    [Fact]
    public void Thumbprints_and_pins_admit_only_that_certificate_and_key()
    {
        using var pinned = issuer.Ca.Issue("CN=pinned");
        using var sameName = issuer.Ca.Issue("CN=pinned");
        var thumbprint = pinned.GetCertHashString(HashAlgorithmName.SHA256);
        var colonLower = string.Join(':', Enumerable.Range(0, thumbprint.Length / 2).Select(i => thumbprint.Substring(i * 2, 2))).ToLowerInvariant();
        var pin = Convert.ToBase64String(SHA256.HashData(pinned.PublicKey.ExportSubjectPublicKeyInfo()));

        foreach (var rule in new[] { Rule(("Thumbprints", [thumbprint])), Rule(("Thumbprints", [colonLower])), Rule(("SpkiPins", [pin])) })
        {
            Assert.True(rule.Matches(new CertificateIdentity(pinned)));
            Assert.False(rule.Matches(new CertificateIdentity(sameName)));
        }

        Assert.False(Rule(("SpkiPins", [pin.ToLowerInvariant()])).Matches(new CertificateIdentity(pinned)));
    }

    [Fact]
    public void Issuers_name_the_issuing_CA()
    {
        using var other = TestCa.CreateRoot("CN=Other Rule CA");
        using var ours = issuer.Ca.Issue("CN=client");
        using var theirs = other.Issue("CN=client");
        var rule = Rule(("Issuers", [issuer.Ca.Certificate.Subject]));

        Assert.True(rule.Matches(new CertificateIdentity(ours)));
        Assert.False(rule.Matches(new CertificateIdentity(theirs)));
    }

    public static TheoryData<string[], string, bool> CombinedCases() => new()
    {
        // rule fields ("Field=value|value"), subject, admitted: every field must match, any value of one field may
        { ["Organizations=Acme", "OrganizationalUnits=Payments"], "CN=x, OU=Payments, O=Acme", true },
        { ["Organizations=Acme", "OrganizationalUnits=Payments"], "CN=x, OU=Cards, O=Acme", false },
        { ["Organizations=Acme", "OrganizationalUnits=Payments"], "CN=x, OU=Payments, O=Other", false },
        { ["Organizations=Acme", "OrganizationalUnits=Payments"], "CN=x, O=Acme", false },
        { ["CommonNames=alice|bob"], "CN=bob", true },
        { ["CommonNames=alice|bob"], "CN=carol", false },
        { ["CommonNames=alice|bob", "Organizations=Acme"], "CN=alice, O=Acme", true },
        { ["CommonNames=alice|bob", "Organizations=Acme"], "CN=alice, O=Other", false },
        { ["CommonNames=", "Organizations=Acme"], "CN=anyone, O=Acme", true },
    };

    [Theory]
    [MemberData(nameof(CombinedCases))]
    public void Every_field_must_match_and_any_value_of_a_field_may(string[] fields, string subject, bool admitted)
    {
        using var certificate = issuer.Ca.Issue(subject);
        var rule = Rule(fields.Select(field => field.Split('=', 2)).Select(pair => (pair[0], pair[1].Length == 0 ? Array.Empty<string>() : pair[1].Split('|'))).ToArray());

        Assert.Equal(admitted, rule.Matches(new CertificateIdentity(certificate)));
    }

    [Theory]
    [InlineData("CommonName", "alice", "unknown field 'CommonName'")]
    [InlineData("Subjects", "not a distinguished name", "is not a distinguished name")]
    [InlineData("DnsNames", "a*.svc.example", "'*' must be a whole label")]
    public void A_rule_that_cannot_mean_what_it_says_is_refused(string field, string value, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => Rule((field, [value])));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_without_any_value_is_refused_rather_than_admitting_everyone()
    {
        var error = Assert.Throws<ArgumentException>(() => Rule(("CommonNames", []), ("Organizations", [])));

        Assert.Contains("would admit every client", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Rule());
    }

    private static CertificateRule Rule(params (string Field, string[] Values)[] fields) =>
        CertificateRule.Create(fields.ToDictionary(f => f.Field, f => (IReadOnlyList<string>)f.Values));

    /// <summary>One CA for the whole class: making keys is the slow part.</summary>
    public sealed class Issuer : IDisposable
    {
        public TestCa Ca { get; } = TestCa.CreateRoot("CN=Rule Test CA, O=MtlsGateway Tests");

        public void Dispose() => Ca.Dispose();
    }
}
