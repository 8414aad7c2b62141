using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.IntegrationTests.Authorization;

/// <summary>Per-route policies on certificate fields, through real TLS and the real gateway.</summary>
public sealed class AuthorizationTests : GatewayPerTest
{
    private X509Certificate2 pinned = null!;

    private protected override Task<TestGateway> StartGatewayAsync()
    {
        pinned = Client("CN=pinned, O=Acme");
        var pin = Convert.ToBase64String(SHA256.HashData(pinned.PublicKey.ExportSubjectPublicKeyInfo()));
        var settings = new Dictionary<string, string?>();
        void Policy(string name, params (string Field, string[] Values)[][] rules)
        {
            for (var r = 0; r < rules.Length; r++)
            {
                foreach (var (field, values) in rules[r])
                {
                    for (var v = 0; v < values.Length; v++)
                    {
                        settings[$"Gateway:Authorization:Policies:{name}:Allow:{r}:{field}:{v}"] = values[v];
                    }
                }
            }

            settings[$"ReverseProxy:Routes:{name}:ClusterId"] = "upstream";
            settings[$"ReverseProxy:Routes:{name}:Match:Path"] = $"/{name}/{{**rest}}";
            settings[$"ReverseProxy:Routes:{name}:AuthorizationPolicy"] = name;
        }

        Policy("cn", [("CommonNames", ["alice"])]);
        Policy("org-and-ou", [("Organizations", ["Acme"]), ("OrganizationalUnits", ["Payments"])]);
        Policy("either", [("CommonNames", ["alice"])], [("CommonNames", ["bob"])]);
        Policy("subject", [("Subjects", ["CN=carol,O=Acme"])]);
        Policy("issuer", [("Issuers", [pki.Root.Certificate.Subject])]);
        Policy("dns", [("DnsNames", ["*.svc.example"])]);
        Policy("spiffe", [("Uris", ["spiffe://example.org/ns/payments/*"])]);
        Policy("email", [("Emails", ["ops@example.org"])]);
        Policy("serial", [("SerialNumbers", [ColonHex(pinned.SerialNumber).ToLowerInvariant()])]);
        Policy("thumbprint", [("Thumbprints", [pinned.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant()])]);
        Policy("spki", [("SpkiPins", [pin])]);
        Policy("cn-wildcard", [("CommonNames", ["svc-*"])]);
        settings["ReverseProxy:Routes:open:ClusterId"] = "upstream";
        settings["ReverseProxy:Routes:open:Match:Path"] = "/open/{**rest}";
        return TestGateway.StartAsync(pki, settings);
    }

    public static TheoryData<string, string, bool> Cases() => new()
    {
        { "cn", "CN=alice, O=Acme", true },
        { "cn", "CN=alicia, O=Acme", false },
        { "org-and-ou", "CN=x, OU=Payments, O=Acme", true },
        { "org-and-ou", "CN=x, OU=Cards, O=Acme", false },
        { "org-and-ou", "CN=x, OU=Payments, O=Other", false },
        { "either", "CN=alice", true },
        { "either", "CN=bob", true },
        { "either", "CN=carol", false },
        { "subject", "CN=carol, O=Acme", true },
        { "subject", "CN=carol, O=Acme2", false },
        { "issuer", "CN=anyone", true },
        { "cn-wildcard", "CN=svc-orders", true },
        { "cn-wildcard", "CN=orders-svc", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Subject_fields_admit_and_refuse(string policy, string subject, bool admitted) =>
        await AssertDecisionAsync(policy, Client(subject), admitted);

    [Theory]
    [InlineData("api.svc.example", true)]
    [InlineData("API.SVC.EXAMPLE", true)]
    [InlineData("a.b.svc.example", false)]
    [InlineData("svc.example", false)]
    public async Task Dns_wildcard_stands_for_exactly_one_label(string dnsName, bool admitted) =>
        await AssertDecisionAsync("dns", Client("CN=dns", names => names.Dns(dnsName)), admitted);

    [Theory]
    [InlineData("spiffe://example.org/ns/payments/sa/api", true)]
    [InlineData("spiffe://example.org/ns/cards/sa/api", false)]
    [InlineData("spiffe://example.org/ns/Payments/sa/api", false)]
    public async Task Uris_match_spiffe_ids_exactly_with_wildcards(string uri, bool admitted) =>
        await AssertDecisionAsync("spiffe", Client("CN=workload", names => names.Uri(uri)), admitted);

    [Theory]
    [InlineData("ops@example.org", true)]
    [InlineData("dev@example.org", false)]
    public async Task Emails_match(string email, bool admitted) =>
        await AssertDecisionAsync("email", Client("CN=mail", names => names.Email(email)), admitted);

    [Theory]
    [InlineData("serial")]
    [InlineData("thumbprint")]
    [InlineData("spki")]
    public async Task Pins_admit_only_the_pinned_certificate(string policy)
    {
        await AssertDecisionAsync(policy, pinned, admitted: true);
        await AssertDecisionAsync(policy, Client("CN=pinned, O=Acme"), admitted: false);
    }

    [Fact]
    public async Task Route_without_a_policy_admits_any_validated_client()
    {
        using var client = gateway.CreateClient(Client("CN=nobody"));
        using var response = await client.GetAsync("/open/x");
        await Echo.ReadAsync(response);
    }

    [Fact]
    public async Task Refusal_names_the_policy_and_every_decision_is_audited()
    {
        var refused = Client("CN=eve, O=Acme");
        using (var client = gateway.CreateClient(refused))
        using (var response = await client.GetAsync("/cn/x"))
        {
            var problem = await ProblemAssert.RefusedAsync(response, "forbidden");
            Assert.Equal("cn", problem.GetProperty("policy").GetString());
        }

        var deny = Assert.Single(gateway.Logs.Events, e => e.EventId.Id == 2001 && Equals(e.Fields["Subject"], refused.Subject));
        Assert.Equal("deny", deny.Fields["Decision"]);
        Assert.Equal("cn", deny.Fields["Route"]);
        Assert.Equal("cn", deny.Fields["Policy"]);
        Assert.Equal(refused.SerialNumber, deny.Fields["SerialNumber"]);
        Assert.Equal(refused.GetCertHashString(HashAlgorithmName.SHA256), deny.Fields["Thumbprint"]);

        var admitted = Client("CN=alice, O=Acme");
        using (var client = gateway.CreateClient(admitted))
        using (var response = await client.GetAsync("/cn/x"))
        {
            await Echo.ReadAsync(response);
        }

        var allow = Assert.Single(gateway.Logs.Events, e => e.EventId.Id == 2001 && Equals(e.Fields["Subject"], admitted.Subject));
        Assert.Equal("allow", allow.Fields["Decision"]);
    }

    private async Task AssertDecisionAsync(string policy, X509Certificate2 certificate, bool admitted)
    {
        using var client = gateway.CreateClient(certificate);
        using var response = await client.GetAsync($"/{policy}/resource");
        if (admitted)
        {
            await Echo.ReadAsync(response);
        }
        else
        {
            await ProblemAssert.RefusedAsync(response, "forbidden");
        }
    }

    private X509Certificate2 Client(string subject, Action<CertificateProfile>? names = null) => pki.Root.Issue(subject, names);

    private static string ColonHex(string hex) => string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
}
