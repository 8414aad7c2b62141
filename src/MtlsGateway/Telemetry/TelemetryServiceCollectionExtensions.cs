using System.Reflection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using MtlsGateway.Validation.Revocation.Fetching;

namespace MtlsGateway.Telemetry;

/// <summary>
/// Registers the gateway's instruments and the OpenTelemetry SDK (<c>OpenTelemetry.Extensions.Hosting</c>).
/// Metrics are always collected, for <c>/metrics</c> on the admin listener. Traces and logs are collected only for an
/// exporter: without OTLP settings no tracer or logger provider exists, so requests create no spans and no exporter,
/// processor or export thread runs.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public const string DefaultServiceName = "mtlsgateway";

    /// <summary>The standard keys that turn OTLP export on (read from environment variables or configuration).</summary>
    public static readonly IReadOnlyList<string> OtlpEndpointKeys =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
        "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
    ];

    /// <summary>
    /// Standard instruments left out: each is recorded on every request or every connection (an up-down counter twice),
    /// and each measurement is an aggregation with its tags, while what they tell is in the instruments kept (request
    /// and upstream durations count requests by route and status, <c>kestrel.active_connections</c> and the handshake
    /// duration cover connections). No dashboard or alert reads them.
    /// </summary>
    public static readonly IReadOnlyList<string> DroppedInstruments =
    [
        "http.server.active_requests",
        "aspnetcore.routing.match_attempts",
        "http.client.active_requests",
        "http.client.open_connections",
        "http.client.request.time_in_queue",
        "kestrel.queued_connections",
        "kestrel.queued_requests",
        "kestrel.active_tls_handshakes",
    ];

    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<GatewayTracing>();
        services.AddSingleton<ICertificateExpirySource, ServerCertificateExpiries>();
        services.AddSingleton<ICertificateExpirySource, TrustAnchorExpiries>();

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                serviceName: configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName,
                serviceVersion: ServiceVersion()))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(GatewayMetrics.MeterName, "System.Net.Http", "System.Runtime")
                    .AddAspNetCoreInstrumentation()
                    .AddPrometheusExporter();
                foreach (var instrument in DroppedInstruments)
                {
                    metrics.AddView(instrument, MetricStreamConfiguration.Drop);
                }
            });

        // What a tracer provider listens to, once an exporter (OTLP, or a test's) asks for one.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(GatewayTracing.SourceName, "Yarp.ReverseProxy", "System.Net.Http", RevocationFetcher.ActivitySourceName)
            .AddAspNetCoreInstrumentation());
        if (IsOtlpExportConfigured(configuration))
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }

    public static bool IsOtlpExportConfigured(IConfiguration configuration) =>
        OtlpEndpointKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key]));

    private static string ServiceVersion()
    {
        var assembly = typeof(TelemetryServiceCollectionExtensions).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
