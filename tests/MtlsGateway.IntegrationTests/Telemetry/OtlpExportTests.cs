using System.Collections.Concurrent;
using System.Net;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.Telemetry;

/// <summary>The OTLP exporter, configured by the standard OTEL_* keys, posts to a real HTTP endpoint on loopback.</summary>
[Collection(ProcessWideTelemetry.Name)]
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly TestPki pki = new();
    private readonly ConcurrentQueue<(string Method, string Path, string? ContentType, byte[] Body)> received = new();
    private TestUpstream collector = null!;

    public async Task InitializeAsync() => collector = await TestUpstream.StartAsync(options => options.Handler = CollectAsync);

    public async Task DisposeAsync()
    {
        await collector.DisposeAsync();
        pki.Dispose();
    }

    [Fact]
    public async Task Traces_and_metrics_are_posted_as_protobuf_to_the_configured_OTLP_endpoint()
    {
        await using (var gateway = await ObservedGateway.StartAsync(pki, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{collector.Port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "edge-gateway-under-test",
        }))
        {
            Assert.Equal(HttpStatusCode.OK, await gateway.GetAsync(pki.Client("exported")));
            await gateway.FlushUntilAsync(telemetry => ObservedGateway.GatewayRequestsRecorded(telemetry) == 1);
        }

        await Eventually.HoldsAsync(
            () => new[] { "/v1/traces", "/v1/metrics", "/v1/logs" }.All(path => received.Any(post => post.Path == path)),
            "OTLP posts of traces, metrics and logs");
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
        await using (var gateway = await ObservedGateway.StartAsync(pki, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{collector.Port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = $"http://127.0.0.1:{LoopbackPort.Unused()}/",
        }))
        {
            // YARP logs the failed forward with its HttpRequestException.
            Assert.Equal(HttpStatusCode.BadGateway, await gateway.GetAsync(pki.Client("unlucky")));
        }

        await Eventually.HoldsAsync(() => received.Any(post => post.Path == "/v1/logs" && Contains(post.Body, "HttpRequestException")), "the exported log of the failed forward");
        Assert.All(received.Where(post => post.Path == "/v1/logs"), post =>
        {
            var text = System.Text.Encoding.UTF8.GetString(post.Body);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            Assert.DoesNotContain(".cs:line ", text, StringComparison.Ordinal);
        });
    }

    private async Task CollectAsync(Microsoft.AspNetCore.Http.HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        received.Enqueue((context.Request.Method, context.Request.Path.Value!, context.Request.ContentType, body.ToArray()));
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-protobuf";
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;
}
