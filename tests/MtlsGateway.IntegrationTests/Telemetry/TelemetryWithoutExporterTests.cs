using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MtlsGateway.IntegrationTests.Harness;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MtlsGateway.IntegrationTests.Telemetry;

/// <summary>Without OTLP settings the gateway pays for no trace or log pipeline: no provider, so no processor and no exporter.</summary>
public sealed class TelemetryWithoutExporterTests : IDisposable
{
    private readonly TestPki pki = new();

    public void Dispose() => pki.Dispose();

    [Fact]
    public async Task No_OTLP_setting_means_no_tracer_provider_and_no_OpenTelemetry_logger_yet_metrics_are_served()
    {
        await using var gateway = await TestGateway.StartAsync(pki);
        Assert.Null(gateway.Services.GetService<TracerProvider>());
        Assert.DoesNotContain(gateway.Services.GetServices<ILoggerProvider>(), provider => provider.GetType().Namespace!.StartsWith("OpenTelemetry", StringComparison.Ordinal));

        // Metrics stay: /metrics on the admin listener reads them.
        Assert.NotNull(gateway.Services.GetService<MeterProvider>());
        using (var client = gateway.CreateClient(pki.Client("counted")))
        using (var response = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var admin = new HttpClient { BaseAddress = gateway.Services.GetRequiredService<MtlsGateway.Admin.AdminListener>().Address };
        var exposition = await admin.GetStringAsync(MtlsGateway.Admin.AdminListener.MetricsPath);
        Assert.Contains("mtlsgateway_client_certificate_validations_total{", exposition, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", exposition, StringComparison.Ordinal);
        Assert.Contains("http_client_request_duration_seconds_bucket{", exposition, StringComparison.Ordinal);
        Assert.Contains("kestrel_active_connections{", exposition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instruments_recorded_per_request_that_nothing_reads_are_not_collected()
    {
        await using var gateway = await TestGateway.StartAsync(pki);
        using (var client = gateway.CreateClient(pki.Client("counted")))
        using (var response = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var admin = new HttpClient { BaseAddress = gateway.Services.GetRequiredService<MtlsGateway.Admin.AdminListener>().Address };
        var exposition = await admin.GetStringAsync(MtlsGateway.Admin.AdminListener.MetricsPath);
        foreach (var instrument in MtlsGateway.Telemetry.TelemetryServiceCollectionExtensions.DroppedInstruments)
        {
            var prometheusName = instrument.Replace('.', '_');
            Assert.DoesNotContain(prometheusName, exposition, StringComparison.Ordinal);
        }
    }
}
