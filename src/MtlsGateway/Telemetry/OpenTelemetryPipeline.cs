using System.Reflection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MtlsGateway.Telemetry;

/// <summary>
/// Builds the OpenTelemetry SDK: the gateway's and .NET's own meters and sources, the resource, and the OTLP exporter
/// when (and only when) an OTLP endpoint is configured through the standard <c>OTEL_*</c> keys.
/// </summary>
internal static class OpenTelemetryPipeline
{
    public const string DefaultServiceName = "mtlsgateway";

    public static readonly string[] Meters =
    [
        GatewayMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "System.Runtime",
    ];

    public static readonly string[] Sources =
    [
        GatewayTracing.SourceName,
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "Yarp.ReverseProxy",
        Validation.Revocation.Fetching.RevocationFetcher.ActivitySourceName,
    ];

    private static readonly string[] EndpointKeys =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
        "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
    ];

    public static OpenTelemetrySdk Create(IConfiguration configuration, IEnumerable<ITelemetryPipelineContributor> contributors) => OpenTelemetrySdk.Create(builder =>
    {
        // The SDK reads OTEL_* settings (export interval, resource attributes...) from its own configuration:
        // hand it the host's, so appsettings.json and command-line keys count as well as environment variables.
        builder.Services.AddSingleton(configuration);
        builder.ConfigureResource(resource => resource.AddService(
            serviceName: configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName,
            serviceVersion: ServiceVersion()));
        builder.WithMetrics(metrics => metrics.AddMeter(Meters));
        builder.WithTracing(tracing => tracing.AddSource(Sources));
        builder.WithLogging(configureBuilder: null, configureOptions: logging => logging.IncludeFormattedMessage = true);
        if (IsOtlpExportConfigured(configuration))
        {
            builder.UseOtlpExporter();
        }

        foreach (var contributor in contributors)
        {
            contributor.Configure(builder);
        }
    });

    public static bool IsOtlpExportConfigured(IConfiguration configuration) =>
        EndpointKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key]));

    private static string ServiceVersion()
    {
        var assembly = typeof(OpenTelemetryPipeline).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
