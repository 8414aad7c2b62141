using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Identity;

namespace MtlsGateway.Tests.Validation.Identity;

/// <summary>
/// What SubjectAlternativeNames reads from real certificates: each kind into its own list, values exactly as encoded
/// (no case folding, no trimming), and nothing at all from an extension it cannot read.
/// </summary>
public sealed class SubjectAlternativeNamesTests : IClassFixture<CertificateRuleTests.Issuer>
{
    private readonly TestCa ca;

    public SubjectAlternativeNamesTests(CertificateRuleTests.Issuer issuer) => ca = issuer.Ca;

    public static TheoryData<string[], string[], string[], string[], string[]> Cases() => new()
    {
        // names in the certificate; then the DNS names, URIs, e-mail addresses and UPNs read back
        { ["dns:api.example.org"], ["api.example.org"], [], [], [] },
        { ["dns:a.example", "dns:b.example"], ["a.example", "b.example"], [], [], [] },
        { ["dns:API.Example.ORG"], ["API.Example.ORG"], [], [], [] },
        { ["dns:api.example.org."], ["api.example.org."], [], [], [] },
        { ["dns:api.example.org\0.attacker.example"], ["api.example.org\0.attacker.example"], [], [], [] },
        { ["dns: api.example.org "], [" api.example.org "], [], [], [] },
        { ["dns:"], [""], [], [], [] },
        { ["dns:*.example.org"], ["*.example.org"], [], [], [] },
        { ["uri:spiffe://example.org/ns/payments/sa/api"], [], ["spiffe://example.org/ns/payments/sa/api"], [], [] },
        { ["email:ops@example.org"], [], [], ["ops@example.org"], [] },
        { ["upn:alice@corp.example"], [], [], [], ["alice@corp.example"] },
        {
            ["uri:spiffe://example.org/a", "dns:a.example", "email:a@example.org", "upn:a@corp.example", "dns:b.example"],
            ["a.example", "b.example"], ["spiffe://example.org/a"], ["a@example.org"], ["a@corp.example"]
        },
        { ["ip:127.0.0.1", "dns:a.example"], ["a.example"], [], [], [] },
        { ["ip:::1"], [], [], [], [] },
        { ["dir:CN=admin, O=Acme", "dns:a.example"], ["a.example"], [], [], [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_kind_of_name_is_read_into_its_own_list_exactly_as_encoded(string[] names, string[] dns, string[] uris, string[] emails, string[] upns)
    {
        var read = Read(profile =>
        {
            foreach (var name in names)
            {
                profile.SubjectAlternativeNames.Add(GeneralName.Parse(name));
            }
        });

        Assert.Equal(dns, read.DnsNames);
        Assert.Equal(uris, read.Uris);
        Assert.Equal(emails, read.Emails);
        Assert.Equal(upns, read.UserPrincipalNames);
    }

    [Fact]
    public void An_other_name_of_another_type_is_not_a_UPN()
    {
        var read = Read(profile => profile.SubjectAlternativeNames.Add(GeneralName.Other("1.3.6.1.4.1.99999.7", "admin@corp.example")));

        Assert.Empty(read.UserPrincipalNames);
    }

    [Fact]
    public void A_certificate_without_the_extension_has_no_names()
    {
        Assert.Same(SubjectAlternativeNames.Empty, Read(_ => { }));
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        // A dNSName that is not IA5 (é in UTF-8), behind a good name: none of the names may be used.
        { "non-IA5 DNS name", [0x30, 0x10, 0x82, 0x09, .. "a.example"u8, 0x82, 0x03, 0x61, 0xC3, 0xA9] },
        { "trailing bytes after the names", [0x30, 0x0B, 0x82, 0x09, .. "a.example"u8, 0x00, 0x00] },
        { "a length past the end", [0x30, 0x0B, 0x82, 0x20, .. "a.example"u8] },
        { "not a sequence", [0x04, 0x02, 0x61, 0x62] },
        { "empty", [] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_extension_yields_no_names_rather_than_a_guess(string what, byte[] extensionValue)
    {
        var read = Read(profile => profile.Extensions.Add(new X509Extension(Oids.SubjectAlternativeName, extensionValue, critical: false)));

        Assert.True(read.DnsNames.Count + read.Uris.Count + read.Emails.Count + read.UserPrincipalNames.Count == 0, what);
    }

    [Fact]
    public void An_empty_sequence_reads_as_no_names()
    {
        var read = Read(profile => profile.Extensions.Add(new X509Extension(Oids.SubjectAlternativeName, [0x30, 0x00], critical: false)));

        Assert.Empty(read.DnsNames);
        Assert.Empty(read.Uris);
    }

    private SubjectAlternativeNames Read(Action<CertificateProfile> names)
    {
        using var certificate = ca.Issue("CN=names", names);
        return SubjectAlternativeNames.Of(certificate);
    }
}
