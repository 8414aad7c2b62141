using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MtlsGateway.Telemetry;

/// <summary>Registers the gateway's metrics, tracing, the OpenTelemetry SDK and the logging bridge to it.</summary>
internal static class TelemetryServices
{
    public static void AddGatewayTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<GatewayTracing>();
        services.AddSingleton<ICertificateExpirySource, ServerCertificateExpiries>();
        services.AddSingleton<ICertificateExpirySource, TrustAnchorExpiries>();
        services.AddSingleton(provider => OpenTelemetryPipeline.Create(
            provider.GetRequiredService<IConfiguration>(),
            provider.GetServices<ITelemetryPipelineContributor>()));
        services.AddHostedService<TelemetryStartup>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, OpenTelemetryLogBridge>());
    }
}
