using System.Net;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.IntegrationTests.ClientCertificates;

/// <summary>
/// What a refused client reads: the reason and what to do, never where the gateway's responders, distribution points
/// or files are. The log line of the same refusal keeps the full detail.
/// </summary>
public sealed class RefusalDetailTests : IDisposable
{
    private readonly OcspPki pki = new();
    private readonly TestPki serverPki = new();

    public void Dispose()
    {
        serverPki.Dispose();
        pki.Dispose();
    }

    [Fact]
    public async Task A_dead_OCSP_responder_and_an_unresolvable_CRL_host_are_not_named_to_the_client_but_are_in_the_log()
    {
        var port = LoopbackPort.Unused();
        var deadResponder = $"http://127.0.0.1:{port}/";
        const string unresolvable = "http://crl.gateway-internal.invalid:8080/root.crl";
        await using var gateway = await TestGateway.StartAsync(serverPki, new Dictionary<string, string?>
        {
            ["Gateway:ClientCertificates:TrustedCaFiles:0"] = pki.PathOf("ca.pem"),
            ["Gateway:ClientCertificates:Revocation:Mode"] = "Require",
            ["Gateway:ClientCertificates:Revocation:CrlFiles:0"] = null,
            ["Gateway:ClientCertificates:Revocation:FetchTimeout"] = "00:00:02",
        });
        using var client = gateway.CreateClient(pki.IssueClient(OcspPki.GoodSerial, [deadResponder], [unresolvable]));

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        var problem = await ProblemAssert.RefusedAsync(response, "revocation-unknown");
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("revocation status of 'CN=client 1001' cannot be established", detail, StringComparison.Ordinal);
        Assert.Contains("[withheld]", detail, StringComparison.Ordinal);
        foreach (var secret in new[] { "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "gateway-internal", "8080", "http://" })
        {
            Assert.DoesNotContain(secret, detail, StringComparison.Ordinal);
        }

        var logged = Assert.Single(gateway.Logs.Events, e => e.EventId.Name == "ClientCertificateRefused").Message;
        Assert.Contains($"127.0.0.1:{port}", logged, StringComparison.Ordinal);
        Assert.Contains("crl.gateway-internal.invalid", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_certificate_that_names_an_internal_address_is_refused_without_echoing_it_back()
    {
        // The attacker chooses the URLs: a certificate pointing at internal services must not turn refusals into a scanner.
        var internalService = $"http://10.0.0.1:{LoopbackPort.Unused()}/";
        await using var gateway = await TestGateway.StartAsync(serverPki, new Dictionary<string, string?>
        {
            ["Gateway:ClientCertificates:TrustedCaFiles:0"] = pki.PathOf("ca.pem"),
            ["Gateway:ClientCertificates:Revocation:Mode"] = "Require",
            ["Gateway:ClientCertificates:Revocation:CrlFiles:0"] = null,
            ["Gateway:ClientCertificates:Revocation:FetchCrls"] = "false",
            ["Gateway:ClientCertificates:Revocation:FetchTimeout"] = "00:00:01",
        });
        using var client = gateway.CreateClient(pki.IssueClient(OcspPki.GoodSerial, [internalService, "ftp://files.corp/ocsp"], []));

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        var detail = (await ProblemAssert.RefusedAsync(response, "revocation-unknown")).GetProperty("detail").GetString()!;
        Assert.DoesNotContain("10.0.0.1", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("files.corp", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_client_of_an_unknown_CA_is_told_its_issuer_is_unknown_and_only_a_missing_known_intermediate_gets_advice()
    {
        await using var gateway = await TestGateway.StartAsync(serverPki);
        using var stranger = TestCa.CreateRoot("CN=Stranger Root");
        using var issuing = await gateway.CreateIntermediateAsync(serverPki.Root, "CN=Issuing, O=Tests");

        var unknown = await DetailAsync(gateway, stranger.Issue("CN=mallory"));
        Assert.Equal("no trusted issuer found for 'CN=mallory': its issuer 'CN=Stranger Root' is neither a trust anchor nor a known intermediate CA", unknown);

        // Before any client showed the gateway that 'CN=Issuing' leads to its anchor, it cannot know it: no advice yet.
        Assert.DoesNotContain("IntermediateFiles", await DetailAsync(gateway, issuing.Issue("CN=early")), StringComparison.Ordinal);

        using (var complete = gateway.CreateClient(issuing.Issue("CN=alice"), [issuing.PublicCertificate]))
        using (var accepted = await complete.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        var leafOnly = await DetailAsync(gateway, issuing.Issue("CN=carol"));
        Assert.Equal(
            $"no trusted issuer found for 'CN=carol': its issuer 'CN=Issuing, O=Tests' is an intermediate CA of trust anchor '{serverPki.Root.Certificate.Subject}' the client did not send: the client must send its intermediate CAs, or configure them in IntermediateFiles",
            leafOnly);
        Assert.DoesNotContain("IntermediateFiles", await DetailAsync(gateway, stranger.Issue("CN=mallory again")), StringComparison.Ordinal);
    }

    private static async Task<string> DetailAsync(TestGateway gateway, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        using var client = gateway.CreateClient(certificate);
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        return (await ProblemAssert.RefusedAsync(response, "untrusted")).GetProperty("detail").GetString()!;
    }
}
