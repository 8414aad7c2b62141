using OpenTelemetry;

namespace MtlsGateway.Telemetry;

/// <summary>
/// Adds to the OpenTelemetry pipeline before the SDK is built: more meters or sources (a feature's own), processors,
/// or exporters (tests register an in-process exporter this way). Register implementations as singletons.
/// </summary>
public interface ITelemetryPipelineContributor
{
    void Configure(IOpenTelemetryBuilder builder);
}
