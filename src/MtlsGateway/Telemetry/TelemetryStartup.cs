using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MtlsGateway.Telemetry;

/// <summary>Resolves the OpenTelemetry SDK when the host starts, so its listeners are in place before the first request.</summary>
internal sealed class TelemetryStartup(OpenTelemetrySdk sdk) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(sdk);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Flush what is buffered while the exporters can still reach the collector; DI disposes the SDK afterwards.
        sdk.MeterProvider.ForceFlush(2000);
        sdk.TracerProvider.ForceFlush(2000);
        sdk.LoggerProvider.ForceFlush(2000);
        return Task.CompletedTask;
    }
}
