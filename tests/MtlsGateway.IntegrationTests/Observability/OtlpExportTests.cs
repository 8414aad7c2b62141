using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
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
        port = LoopbackPorts.Unused();
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

        await EventuallyAsync(() => new[] { "/v1/traces", "/v1/metrics", "/v1/logs" }.All(path => received.Any(post => post.Path == path)));
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

    [Fact]
    public async Task Exported_log_records_carry_an_exceptions_summary_never_its_stack_trace()
    {
        var deadPort = LoopbackPorts.Unused();
        await using (var gateway = await ObservedGateway.StartAsync(pki, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = $"http://127.0.0.1:{deadPort}/",
        }))
        {
            // YARP logs the failed forward with its HttpRequestException.
            Assert.Equal(HttpStatusCode.BadGateway, await gateway.GetAsync(pki.Client("unlucky")));
        }

        await EventuallyAsync(() => received.Any(post => post.Path == "/v1/logs" && Contains(post.Body, "HttpRequestException")));
        var logs = received.Where(post => post.Path == "/v1/logs").ToList();
        Assert.All(logs, post =>
        {
            var text = System.Text.Encoding.UTF8.GetString(post.Body);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            Assert.DoesNotContain(".cs:line ", text, StringComparison.Ordinal);
        });
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
