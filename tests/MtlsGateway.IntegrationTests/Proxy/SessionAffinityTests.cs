using System.Net;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Loopback;

namespace MtlsGateway.IntegrationTests.Proxy;

/// <summary>
/// YARP's HashCookie session affinity through the real gateway: two destinations (the echo upstream under two path
/// prefixes, so its answer says which one served), and the affinity cookie pins a client to the one it first reached.
/// </summary>
public sealed class SessionAffinityTests : GatewayPerTest
{
    private const string CookieName = ".MtlsGateway.Affinity";
    public SessionAffinityTests()
        : base(settings: new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = TestGateway.UpstreamPlaceholder + "a/",
            ["ReverseProxy:Clusters:upstream:Destinations:two:Address"] = TestGateway.UpstreamPlaceholder + "b/",
            ["ReverseProxy:Clusters:upstream:LoadBalancingPolicy"] = "RoundRobin",
            ["ReverseProxy:Clusters:upstream:SessionAffinity:Enabled"] = "true",
            ["ReverseProxy:Clusters:upstream:SessionAffinity:Policy"] = "HashCookie",
            ["ReverseProxy:Clusters:upstream:SessionAffinity:AffinityKeyName"] = CookieName,
        })
    {
    }

    [Fact]
    public async Task The_affinity_cookie_pins_a_client_to_the_destination_it_first_reached()
    {
        using var certificate = pki.Client("sticky");
        using var client = gateway.CreateClient(certificate);
        using var first = await client.GetAsync("/orders");
        var pinned = DestinationOf(await Echo.ReadAsync(first));
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"), value => value.StartsWith(CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        // HashCookie's value is a hash of the destination id, never the id or the upstream's address.
        Assert.DoesNotContain("127.0.0.1", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain($"{CookieName}=one;", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain($"{CookieName}=two;", cookie, StringComparison.Ordinal);

        for (var i = 0; i < 8; i++)
        {
            using var again = await client.GetAsync("/orders");
            Assert.Equal(pinned, DestinationOf(await Echo.ReadAsync(again)));
        }
    }

    [Fact]
    public async Task Without_the_cookie_round_robin_spreads_requests_over_both_destinations()
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            // A fresh client each time: no cookie jar carries the pin over.
            using var client = gateway.CreateClient(pki.Client("anonymous-" + i));
            using var response = await client.GetAsync("/orders");
            reached.Add(DestinationOf(await Echo.ReadAsync(response)));
        }

        Assert.Equal(["a", "b"], reached.Order());
    }

    [Fact]
    public async Task A_forged_affinity_cookie_is_ignored_and_the_request_still_reaches_a_destination()
    {
        using var certificate = pki.Client("forger");
        foreach (var forged in new[] { "a", "b", "one", "../../etc", new string('A', 4096), "%00", "=" })
        {
            using var client = gateway.CreateClient(certificate);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
            request.Headers.Add("Cookie", $"{CookieName}={forged}");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(DestinationOf(await Echo.ReadAsync(response)), new[] { "a", "b" });
        }
    }

    /// <summary>Which destination served: its address carries a path prefix, which YARP puts before the request path.</summary>
    private static string DestinationOf(EchoAnswer echo)
    {
        var path = echo.Path;
        return path.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
    }
}
