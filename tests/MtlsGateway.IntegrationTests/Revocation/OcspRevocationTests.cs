using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.OpenSsl;

namespace MtlsGateway.IntegrationTests.Revocation;

/// <summary>OCSP through the real gateway against a real `openssl ocsp` responder.</summary>
public sealed class OcspRevocationTests : IDisposable
{
    private readonly OcspPki pki = new();
    private readonly TestPki serverPki = new();

    public void Dispose()
    {
        serverPki.Dispose();
        pki.Dispose();
    }

    [Fact]
    public async Task Good_is_admitted_and_revoked_is_refused()
    {
        using var responder = await OpenSslOcspResponder.StartAsync(pki, "responder", requests: 10);
        await using var gateway = await StartGatewayAsync("Require");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, Client(OcspPki.GoodSerial, responder.Url)));

        using var client = gateway.CreateClient(Client(OcspPki.RevokedSerial, responder.Url));
        using var response = await client.GetAsync("/");
        var problem = await ProblemAssert.RefusedAsync(response, "revoked");
        Assert.Contains("ocsp", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Responder_down_is_revocation_unknown_within_the_timeout_in_Require_and_admitted_in_BestEffort()
    {
        var deadUrl = $"http://127.0.0.1:{LoopbackPort.Unused()}/";
        await using (var strict = await StartGatewayAsync("Require"))
        {
            var clock = Stopwatch.StartNew();
            using var client = strict.CreateClient(Client(OcspPki.GoodSerial, deadUrl));
            using var response = await client.GetAsync("/");
            await ProblemAssert.RefusedAsync(response, "revocation-unknown");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"a dead responder cost {clock.Elapsed} with FetchTimeout 1 s");
        }

        await using var lenient = await StartGatewayAsync("BestEffort");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(lenient, Client(OcspPki.GoodSerial, deadUrl)));
    }

    [Fact]
    public async Task Garbage_from_the_responder_is_revocation_unknown()
    {
        await using var garbage = await TestUpstream.StartAsync(options => options.Serving(() => "<html>this is not OCSP</html>"u8.ToArray()));
        await using var gateway = await StartGatewayAsync("Require");
        using var client = gateway.CreateClient(Client(OcspPki.GoodSerial, garbage.Address.AbsoluteUri));
        using var response = await client.GetAsync("/");
        await ProblemAssert.RefusedAsync(response, "revocation-unknown");
        Assert.True(garbage.Requests >= 1);
    }

    [Fact]
    public async Task A_cached_good_answer_serves_later_requests_without_asking_again()
    {
        // The responder answers exactly one request and exits: later requests must be served from the cache.
        using var responder = await OpenSslOcspResponder.StartAsync(pki, "responder", requests: 1);
        await using var gateway = await StartGatewayAsync("Require");
        var certificate = Client(OcspPki.GoodSerial, responder.Url);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway, certificate));
        await responder.WaitForExitAsync();

        // New connections and a changed verdict cache key (a different presented chain) still get the cached answer.
        for (var i = 0; i < 3; i++)
        {
            using var client = gateway.CreateClient(certificate, [pki.Ca]);
            using var response = await client.GetAsync($"/{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>A gateway trusting the openssl CA, asking OCSP only.</summary>
    private Task<TestGateway> StartGatewayAsync(string mode) =>
        TestGateway.StartAsync(serverPki, new Dictionary<string, string?>
        {
            ["Gateway:ClientCertificates:TrustedCaFiles:0"] = pki.PathOf("ca.pem"),
            ["Gateway:ClientCertificates:Revocation:Mode"] = mode,
            ["Gateway:ClientCertificates:Revocation:CrlFiles:0"] = null,
            ["Gateway:ClientCertificates:Revocation:FetchCrls"] = "false",
            ["Gateway:ClientCertificates:Revocation:FetchTimeout"] = "00:00:01",
        });

    private X509Certificate2 Client(string serial, string ocspUrl) => pki.IssueClient(serial, [ocspUrl], []);

    private static async Task<HttpStatusCode> StatusAsync(TestGateway gateway, X509Certificate2 certificate)
    {
        using var client = gateway.CreateClient(certificate);
        using var response = await client.GetAsync("/");
        return response.StatusCode;
    }
}
