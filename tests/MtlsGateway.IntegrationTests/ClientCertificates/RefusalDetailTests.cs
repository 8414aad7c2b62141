using System.Net;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.OpenSsl;

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
}
