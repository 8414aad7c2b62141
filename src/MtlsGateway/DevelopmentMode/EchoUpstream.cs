using System.Text.Json;

namespace MtlsGateway.DevelopmentMode;

/// <summary>
/// A tiny HTTP upstream on loopback for Development: it answers every request with what reached it (method, path,
/// headers), so a developer sees exactly what the gateway forwards.
/// </summary>
internal sealed class EchoUpstream : IAsyncDisposable
{
    private readonly WebApplication app;

    private EchoUpstream(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<EchoUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = [] });
        // The gateway's own appsettings.json (Kestrel endpoints, routes) must not leak into the upstream.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsJsonAsync(new
        {
            upstream = "MtlsGateway development echo",
            method = context.Request.Method,
            path = context.Request.Path.Value,
            query = context.Request.QueryString.Value,
            protocol = context.Request.Protocol,
            headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        }, new JsonSerializerOptions { WriteIndented = true }));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Urls.First();
        return new EchoUpstream(app, new Uri(address));
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
