using System.Diagnostics;
using System.Net;
using MtlsGateway.IntegrationTests.Harness;

namespace MtlsGateway.IntegrationTests.Telemetry;

/// <summary>What the gateway hands to OpenTelemetry exporters during real requests: metrics, spans and logs.</summary>
[Collection(ProcessWideTelemetry.Name)]
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly TestPki pki = new();
    private readonly TestPki stranger = new("Stranger");
    private ObservedGateway gateway = null!;

    public async Task InitializeAsync()
    {
        gateway = await ObservedGateway.StartAsync(pki);
        Assert.Equal(HttpStatusCode.OK, await gateway.GetAsync(pki.Client("accepted-app"), "/orders/1"));
        Assert.Equal(HttpStatusCode.Forbidden, await gateway.GetAsync(stranger.Client("stranger-app"), "/orders/2"));
        await gateway.FlushUntilAsync(telemetry =>
            ObservedGateway.GatewayRequestsRecorded(telemetry) == 2
            && telemetry.Spans.Count(span => span.Source.Name == "Microsoft.AspNetCore" && span.GetTagItem("http.route") is not null) == 2);
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        stranger.Dispose();
        pki.Dispose();
    }

    [Fact]
    public void Validations_are_counted_and_timed_by_result_and_reason()
    {
        var validations = gateway.Telemetry.Metric("mtlsgateway.client_certificate.validations");
        Assert.Equal("{validation}", validations.Unit);
        Assert.Equal(1, Sum(validations, ("result", "accepted"), ("reason", "none")));
        Assert.Equal(1, Sum(validations, ("result", "refused"), ("reason", "untrusted")));

        var duration = gateway.Telemetry.Metric("mtlsgateway.client_certificate.validation.duration");
        Assert.Equal("s", duration.Unit);
        Assert.Equal(2, duration.Points.Sum(point => point.HistogramCount));
        Assert.All(duration.Points, point => Assert.InRange(point.Value, 0, 5));
    }

    [Fact]
    public void Refusals_are_counted_by_reason()
    {
        var refused = gateway.Telemetry.Metric("mtlsgateway.requests.refused");
        var point = Assert.Single(refused.Points);
        Assert.Equal("untrusted", point.Tags["reason"]);
        Assert.Equal(1, point.Value);
    }

    [Fact]
    public void Certificate_expiry_gauges_cover_the_server_certificate_and_each_trust_anchor()
    {
        var expiry = gateway.Telemetry.Metric("mtlsgateway.certificate.time_until_expiry");
        Assert.Equal("s", expiry.Unit);
        var server = Assert.Single(expiry.Points, point => (string?)point.Tags["role"] == "server");
        Assert.Equal(pki.Server.Subject, server.Tags["subject"]);
        Assert.InRange(server.Value, (pki.Server.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalSeconds - 120, (pki.Server.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalSeconds + 1);
        var anchor = Assert.Single(expiry.Points, point => (string?)point.Tags["role"] == "trust_anchor");
        Assert.Equal(pki.Root.Certificate.Subject, anchor.Tags["subject"]);
    }

    [Fact]
    public void Request_metrics_carry_the_route_id_and_status()
    {
        var requests = gateway.Telemetry.Metric("http.server.request.duration");
        var gatewayPoints = requests.Points.Where(point => point.Tags.TryGetValue("mtlsgateway.route", out var route) && (string?)route == "all").ToList();
        Assert.Equal([200, 403], gatewayPoints.Select(point => Convert.ToInt32(point.Tags["http.response.status_code"], System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(gatewayPoints, point => Assert.Equal(1, point.HistogramCount));
    }

    [Fact]
    public void Server_spans_are_named_after_the_route_and_hold_the_validation_span()
    {
        // The upstream (an in-process echo server here) records its own server span, under the client span YARP's
        // forwarder opens: leave those out.
        var spans = gateway.Telemetry.Spans.ToList();
        var yarpSpans = spans.Where(span => span.Source.Name == "Yarp.ReverseProxy").Select(span => span.SpanId).ToHashSet();
        var forwardingSpans = spans.Where(span => span.Source.Name == "System.Net.Http" && yarpSpans.Contains(span.ParentSpanId)).Select(span => span.SpanId).ToHashSet();
        var serverSpans = spans.Where(span => span.Source.Name == "Microsoft.AspNetCore" && span.Kind == ActivityKind.Server && !forwardingSpans.Contains(span.ParentSpanId)).ToList();
        Assert.Equal(2, serverSpans.Count);
        Assert.All(serverSpans, span =>
        {
            // Named after the matched route's template (the instrumentation's semantic conventions); the YARP route
            // id the operator configured rides along, as on the request metrics.
            Assert.Equal("GET {**catch-all}", span.DisplayName);
            Assert.Equal("{**catch-all}", span.GetTagItem("http.route"));
            Assert.Equal("all", span.GetTagItem("mtlsgateway.route"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        });
        Assert.Equal([200, 403], serverSpans.Select(span => (int)span.GetTagItem("http.response.status_code")!).Order());

        var validationSpans = gateway.Telemetry.Spans.Where(span => span.Source.Name == "MtlsGateway").ToList();
        Assert.Equal(2, validationSpans.Count);
        Assert.All(validationSpans, span =>
        {
            Assert.Equal("validate client certificate", span.DisplayName);
            Assert.Contains(serverSpans, server => server.SpanId == span.ParentSpanId && server.TraceId == span.TraceId);
        });
        var refused = Assert.Single(validationSpans, span => (string?)span.GetTagItem("mtlsgateway.client_certificate.result") == "refused");
        Assert.Equal("untrusted", refused.GetTagItem("mtlsgateway.client_certificate.reason"));

        // The accepted request was forwarded: YARP's span sits under the same server span.
        Assert.Contains(gateway.Telemetry.Spans, span => span.Source.Name == "Yarp.ReverseProxy" && serverSpans.Any(server => server.TraceId == span.TraceId));
    }

    [Fact]
    public async Task A_second_request_on_a_cached_verdict_records_no_validation_span()
    {
        var client = pki.Client("repeat");
        await gateway.GetAsync(client);
        await gateway.FlushUntilAsync(telemetry => ObservedGateway.GatewayRequestsRecorded(telemetry) == 3);
        var before = gateway.Telemetry.Spans.Count(span => span.Source.Name == "MtlsGateway");
        await gateway.GetAsync(client);
        await gateway.FlushUntilAsync(telemetry => ObservedGateway.GatewayRequestsRecorded(telemetry) == 4);
        Assert.Equal(before, gateway.Telemetry.Spans.Count(span => span.Source.Name == "MtlsGateway"));
    }

    [Fact]
    public void Logs_reach_the_OpenTelemetry_provider()
    {
        var refusal = Assert.Single(gateway.Telemetry.Logs, log => log.Category.EndsWith("ClientCertificateValidationMiddleware", StringComparison.Ordinal));
        Assert.Contains("untrusted", refusal.Message, StringComparison.Ordinal);
    }

    private static double Sum(CapturedMetric metric, params (string Key, string Value)[] tags) =>
        metric.Points.Where(point => tags.All(tag => point.Tags.TryGetValue(tag.Key, out var value) && (string?)value == tag.Value)).Sum(point => point.Value);
}
