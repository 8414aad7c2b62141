using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>A real loopback HTTP server answering every request with the bytes the test sets (a CRL, or garbage).</summary>
internal sealed class BytesServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private volatile byte[] body;
    private int requests;

    private BytesServer(WebApplication app, byte[] body)
    {
        this.app = app;
        this.body = body;
    }

    public Uri Address => new(app.Urls.First());

    public int Requests => Volatile.Read(ref requests);

    public static async Task<BytesServer> StartAsync(byte[] body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new BytesServer(app, body);
        app.Run(async context =>
        {
            Interlocked.Increment(ref server.requests);
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(server.body);
        });
        await app.StartAsync();
        return server;
    }

    public void Serve(byte[] bytes) => body = bytes;

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
