using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.Admin;
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
        var gateway = await TestGateway.StartAsync(pki, settings, services: telemetry.AddTo);
        return new ObservedGateway(gateway, telemetry);
    }

    /// <summary>Makes the SDK export now what it has collected (metrics are otherwise exported once a minute).</summary>
    public void Flush()
    {
        Assert.True(gateway.Services.GetRequiredService<TracerProvider>().ForceFlush(5000));
        // Not the meter provider's ForceFlush: its Prometheus reader only collects when scraped, and answers false.
        Assert.True(Telemetry.CollectMetrics());
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
            .Where(point => point.Tags.ContainsKey(global::MtlsGateway.Telemetry.RouteIdTagging.RouteIdTag))
            .Sum(point => point.HistogramCount);

    public async Task<HttpStatusCode> GetAsync(X509Certificate2 certificate, string path = "/")
    {
        using var client = gateway.CreateClient(certificate);
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>What a Prometheus server scraping the admin listener's <c>/metrics</c> receives.</summary>
    public async Task<string> ScrapeAsync()
    {
        using var admin = new HttpClient { BaseAddress = gateway.Services.GetRequiredService<AdminListener>().Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, AdminListener.MetricsPath);
        // The Accept header Prometheus 2.x sends.
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        using var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public ValueTask DisposeAsync() => gateway.DisposeAsync();
}
