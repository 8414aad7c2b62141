using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MtlsGateway.IntegrationTests.Telemetry;

/// <summary>The real gateway (a <see cref="TestGateway"/>) with a <see cref="TelemetryCapture"/> joined to its OpenTelemetry pipeline.</summary>
internal sealed class ObservedGateway : IAsyncDisposable
{
    private readonly TestGateway gateway;

    private ObservedGateway(TestGateway gateway, TelemetryCapture telemetry)
    {
        this.gateway = gateway;
        Telemetry = telemetry;
    }

    public Uri Address => gateway.Address;

    public TelemetryCapture Telemetry { get; }

    public static async Task<ObservedGateway> StartAsync(TestPki pki, IDictionary<string, string?>? settings = null)
    {
        var telemetry = new TelemetryCapture();
        var gateway = await TestGateway.StartAsync(pki, settings, services: services => services.AddSingleton<ITelemetryPipelineContributor>(telemetry));
        return new ObservedGateway(gateway, telemetry);
    }

    /// <summary>Makes the SDK export now what it has collected (metrics are otherwise exported once a minute).</summary>
    public void Flush()
    {
        var sdk = gateway.Services.GetRequiredService<OpenTelemetrySdk>();
        Assert.True(sdk.TracerProvider.ForceFlush(5000));
        Assert.True(sdk.MeterProvider.ForceFlush(5000));
    }

    /// <summary>
    /// Flushes until <paramref name="settled"/> holds: ASP.NET Core ends a request's span and records its duration after
    /// the response has reached the client, so a test that just got its answer may be a moment ahead of them.
    /// </summary>
    public async Task FlushUntilAsync(Func<TelemetryCapture, bool> settled)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            Flush();
            if (settled(Telemetry))
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the gateway's telemetry did not settle within 10 s");
            await Task.Delay(50);
        }
    }

    /// <summary>Requests the gateway itself served (not its upstream) that ASP.NET Core has finished recording.</summary>
    public static long GatewayRequestsRecorded(TelemetryCapture telemetry) =>
        telemetry.Metrics.Where(metric => metric.Name == "http.server.request.duration")
            .SelectMany(metric => metric.Points)
            .Where(point => point.Tags.ContainsKey(global::MtlsGateway.Telemetry.ServerSpanNaming.RouteIdTag))
            .Sum(point => point.HistogramCount);

    public async Task<HttpStatusCode> GetAsync(X509Certificate2 certificate, string path = "/")
    {
        using var client = gateway.CreateClient(certificate);
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    public ValueTask DisposeAsync() => gateway.DisposeAsync();
}
