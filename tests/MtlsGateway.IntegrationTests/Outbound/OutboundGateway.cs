using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MtlsGateway.Hosting;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Logging;

namespace MtlsGateway.IntegrationTests.Outbound;

/// <summary>
/// The real gateway (real Kestrel, port 0) whose cluster "upstream" forwards to a given upstream, with the test's own
/// settings, and optionally services registered before the gateway's own (only the token-removal test uses that).
/// </summary>
internal sealed class OutboundGateway : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TestPki pki;
    private readonly X509Certificate2 client;

    private OutboundGateway(WebApplication app, TestPki pki, Uri address, CapturedLogs logs)
    {
        this.app = app;
        this.pki = pki;
        Address = address;
        Logs = logs;
        client = pki.Client("gateway-user");
    }

    public Uri Address { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>A content root with the gateway's server certificate and client trust, plus the given extra files.</summary>
    public static string ContentRoot(TestPki pki) => TestGateway.WriteContentRoot(pki);

    public static Dictionary<string, string?> Settings(Uri upstream)
    {
        var settings = TestGateway.BaseSettings(upstream);
        settings["Logging:LogLevel:Default"] = "Information";
        return settings;
    }

    public static async Task<OutboundGateway> StartAsync(TestPki pki, string contentRoot, IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var logs = new CapturedLogs();
        var app = await BuildAsync(contentRoot, settings, logs, services);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new OutboundGateway(app, pki, new Uri(address), logs);
    }

    /// <summary>Builds (and so runs every start-up check) without starting; for the tests of start-up errors.</summary>
    public static async Task<WebApplication> BuildAsync(string contentRoot, IDictionary<string, string?> settings, CapturedLogs? logs = null, Action<IServiceCollection>? services = null) =>
        await GatewayApplication.BuildAsync(
            ["--contentRoot", contentRoot, "--environment", "Production"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                if (logs is not null)
                {
                    builder.Logging.AddProvider(logs);
                }

                services?.Invoke(builder.Services);
            });

    /// <summary>The flat settings as an appsettings.json document, for the real executable.</summary>
    public static string AsJson(IDictionary<string, string?> settings)
    {
        var root = new JsonObject();
        foreach (var (key, value) in settings)
        {
            var parts = key.Split(':');
            var node = root;
            foreach (var part in parts[..^1])
            {
                node = (JsonObject)(node[part] ??= new JsonObject());
            }

            node[parts[^1]] = value;
        }

        return root.ToJsonString();
    }

    /// <summary>A client with a fresh connection pool, presenting a client certificate the gateway trusts.</summary>
    public HttpClient CreateClient() => MutualTlsClient.Create(Address, pki.Server, client);

    public IEnumerable<CapturedLogEvent> Events(int eventId) => Logs.WithId(eventId);

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
