using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.Admin;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.Proxy;

/// <summary>
/// A route to a cluster that does not exist, or a destination that is not a URL: start-up stops naming the route or
/// destination (the real executable); a reload that brings one is refused and the last good routes keep serving.
/// </summary>
public sealed class ProxyConfigurationTests : IDisposable
{
    private readonly TestPki pki = new();
    private readonly string contentRoot;

    public ProxyConfigurationTests() => contentRoot = TestGateway.WriteContentRoot(pki);

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(contentRoot, recursive: true);
    }

    [Fact]
    public async Task A_route_to_a_missing_cluster_stops_start_up_naming_the_route()
    {
        var settings = GatewaySettings.Create(new Uri("http://127.0.0.1:9/"));
        settings["ReverseProxy"]!["Routes"]!["all"]!["ClusterId"] = "upstrem";
        GatewaySettings.Write(contentRoot, settings);
        Assert.Equal(
            "MtlsGateway: cannot start: ReverseProxy:Routes:all:ClusterId: no cluster named 'upstrem' under ReverseProxy:Clusters",
            await GatewayProcess.StartupErrorAsync(contentRoot));
    }

    [Fact]
    public async Task A_route_without_a_cluster_stops_start_up()
    {
        var settings = GatewaySettings.Create(new Uri("http://127.0.0.1:9/"));
        settings["ReverseProxy"]!["Routes"]!["all"]!.AsObject().Remove("ClusterId");
        GatewaySettings.Write(contentRoot, settings);
        Assert.StartsWith("MtlsGateway: cannot start: ReverseProxy:Routes:all:ClusterId: missing", await GatewayProcess.StartupErrorAsync(contentRoot), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("htp//127.0.0.1:8000")]
    [InlineData("127.0.0.1:8000")]
    [InlineData("ftp://127.0.0.1:8000/")]
    [InlineData("http://")]
    [InlineData("http://user:secret@127.0.0.1:8000/")]
    [InlineData("http://127.0.0.1:8000/\u001b[31m")]
    [InlineData("http://127.0.0.1:８０００/")]
    public async Task A_destination_that_is_not_an_http_url_stops_start_up_naming_it(string address)
    {
        var settings = GatewaySettings.Create(new Uri("http://127.0.0.1:9/"));
        settings["ReverseProxy"]!["Clusters"]!["upstream"]!["Destinations"]!["one"]!["Address"] = address;
        GatewaySettings.Write(contentRoot, settings);
        var error = await GatewayProcess.StartupErrorAsync(contentRoot);
        Assert.StartsWith("MtlsGateway: cannot start: ReverseProxy:Clusters:upstream:Destinations:one:Address: '", error, StringComparison.Ordinal);
        Assert.EndsWith("is not an absolute http:// or https:// URL with a host (for example http://10.0.0.5:8080/)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reload_to_a_missing_cluster_or_a_bad_destination_is_refused_and_the_last_good_routes_keep_serving()
    {
        const string Good = """{ "ReverseProxy": { "Routes": { "all": { "ClusterId": "upstream", "Match": { "Path": "{**catch-all}" } } } } }""";
        await using var gateway = await TestGateway.StartAsync(pki, appsettingsJson: Good);
        using var admin = new HttpClient { BaseAddress = gateway.Services.GetRequiredService<AdminListener>().Address };
        using var client = gateway.CreateClient(pki.Client("steady"));
        var file = Path.Combine(gateway.ContentRoot, "appsettings.json");

        string[] bad =
        [
            """{ "ReverseProxy": { "Routes": { "all": { "ClusterId": "ghost", "Match": { "Path": "{**catch-all}" } } } } }""",
            """{ "ReverseProxy": { "Routes": { "all": { "ClusterId": "second", "Match": { "Path": "{**catch-all}" } } }, "Clusters": { "second": { "Destinations": { "d": { "Address": "htp//127.0.0.1:8000" } } } } } }""",
        ];
        string[] expected = ["ReverseProxy:Routes:all:ClusterId: no cluster named 'ghost'", "ReverseProxy:Clusters:second:Destinations:d:Address: 'htp//127.0.0.1:8000'"];
        for (var i = 0; i < bad.Length; i++)
        {
            AtomicFile.Write(file, bad[i]);
            var status = await Eventually.ReturnsAsync(
                async () => JsonNode.Parse(await admin.GetStringAsync("/status"))!["proxyConfiguration"]!,
                proxy => ((string?)proxy["lastError"])?.Contains(expected[i], StringComparison.Ordinal) == true,
                "the reload to be refused with " + expected[i]);
            Assert.NotNull((string?)status["failedAt"]);
            using var response = await client.GetAsync("/still-served");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // Back to good: applied again.
            AtomicFile.Write(file, Good.Replace("{**catch-all}", "/{**rest" + i + "}", StringComparison.Ordinal));
            await Eventually.ReturnsAsync(
                async () => JsonNode.Parse(await admin.GetStringAsync("/status"))!["proxyConfiguration"]!,
                proxy => (string?)proxy["lastError"] is null,
                "a good reload to be applied");
        }
    }
}
