using System.Net;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.IntegrationTests.Outbound;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;

namespace MtlsGateway.IntegrationTests.Hosting;

/// <summary>
/// appsettings.json is reloaded on change; what an editor or a sync leaves half-written must not end the process or
/// take the routes away: the configuration reload callbacks run on file-watcher threads.
/// </summary>
public sealed class ConfigurationReloadFaultTests : IDisposable
{
    private readonly TestPki pki = new();
    private readonly string contentRoot;

    public ConfigurationReloadFaultTests() => contentRoot = TestGateway.WriteContentRoot(pki);

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(contentRoot, recursive: true);
    }

    [Theory]
    [InlineData("{ \"Gateway\": { \"ClientCertificates\": ")]
    [InlineData("")]
    [InlineData("[1, 2, 3]")]
    [InlineData("Gateway:ClientCertificates:ClockSkew=5m")]
    [InlineData("Gateway:Authorization:Policies:p:Rules:0:NoSuchRule=x")]
    [InlineData("Gateway:NoSuchSetting=1")]
    public async Task A_broken_appsettings_json_under_the_running_gateway_keeps_it_serving(string broken)
    {
        await using var upstream = await TestUpstream.StartAsync();
        var file = Path.Combine(contentRoot, "appsettings.json");
        var settings = TestGateway.BaseSettings(upstream.Address);
        File.WriteAllText(file, OutboundGateway.AsJson(settings));
        var (gateway, address) = await GatewayProcess.StartAsync(contentRoot, new Dictionary<string, string?>());
        await using var _ = gateway;
        using var client = MutualTlsClient.Create(address, pki.Server, pki.Client("steady"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);

        if (broken.Split('=') is [var key, var value])
        {
            settings[key] = value;
            broken = OutboundGateway.AsJson(settings);
        }

        File.WriteAllText(file, broken);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.False(gateway.HasExited, gateway.Output);
        using var fresh = MutualTlsClient.Create(address, pki.Server, pki.Client("after-reload"));
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        Assert.DoesNotContain("Unhandled exception", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", gateway.Output, StringComparison.Ordinal);
    }
}
