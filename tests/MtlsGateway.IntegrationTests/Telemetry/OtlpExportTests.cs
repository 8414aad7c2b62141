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
            () => received.Any(post => post.Path == "/v1/traces") && received.Any(post => post.Path == "/v1/metrics"),
            "OTLP posts of traces and metrics");
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
