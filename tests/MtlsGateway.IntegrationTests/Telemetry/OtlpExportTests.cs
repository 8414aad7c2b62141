using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MtlsGateway.IntegrationTests.Harness;

namespace MtlsGateway.IntegrationTests.Observability;

/// <summary>The OTLP exporter, configured by the standard OTEL_* keys, posts to a real HTTP endpoint on loopback.</summary>
[Collection(ProcessWideTelemetry.Name)]
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly TestPki pki = new();
    private readonly HttpListener collector = new();
    private readonly ConcurrentQueue<(string Method, string Path, string? ContentType, byte[] Body)> received = new();
    private readonly CancellationTokenSource stop = new();
    private Task? serving;
    private int port;

    public Task InitializeAsync()
    {
        port = FreePort();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        serving = Task.Run(ServeAsync);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        collector.Stop();
        collector.Close();
        if (serving is not null)
        {
            await serving;
        }

        stop.Dispose();
        pki.Dispose();
    }

    [Fact]
    public async Task Traces_and_metrics_are_posted_as_protobuf_to_the_configured_OTLP_endpoint()
    {
        await using (var gateway = await ObservedGateway.StartAsync(pki, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "edge-gateway-under-test",
        }))
        {
            Assert.Equal(HttpStatusCode.OK, await gateway.GetAsync(pki.Client("exported")));
            await gateway.FlushUntilAsync(telemetry => ObservedGateway.GatewayRequestsRecorded(telemetry) == 1);
        }

        await EventuallyAsync(() => received.Any(post => post.Path == "/v1/traces") && received.Any(post => post.Path == "/v1/metrics"));
        Assert.All(received, post =>
        {
            Assert.Equal("POST", post.Method);
            Assert.Equal("application/x-protobuf", post.ContentType);
            Assert.NotEmpty(post.Body);
        });

        // The resource travels with every export: the configured service name and the assembly's version.
        var traces = received.First(post => post.Path == "/v1/traces").Body;
        Assert.True(Contains(traces, "service.name") && Contains(traces, "edge-gateway-under-test"), "service.name from OTEL_SERVICE_NAME");
        Assert.True(Contains(traces, "service.version"), "service.version");
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await collector.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            received.Enqueue((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var free = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return free;
    }

    private async Task EventuallyAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("Waited 15 s for OTLP posts; received: " + string.Join(", ", received.Select(post => post.Path)));
    }
}
