using Microsoft.Extensions.DependencyInjection.Extensions;
using MtlsGateway.Pkcs11.Identity;
using MtlsGateway.Settings;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace MtlsGateway.Outbound;

/// <summary>Registers the outbound identities (<c>Gateway:OutboundIdentities</c>), their monitoring and YARP's client factory that presents them.</summary>
internal static class OutboundServiceCollectionExtensions
{
    public static IServiceCollection AddOutboundIdentities(this IServiceCollection services)
    {
        services.AddValidatedOptions<OutboundIdentitiesOptions, OutboundIdentitiesOptionsValidator>(OutboundIdentitiesOptions.SectionName);
        services.AddValidatedOptions<OutboundMonitoringOptions, OutboundMonitoringOptionsValidator>(OutboundMonitoringOptions.SectionName);
        services.TryAddSingleton<ITokenPresenceProbe, TokenPresenceProbe>();
        services.AddSingleton<OutboundIdentities>();
        services.AddSingleton<IOutboundIdentityReadiness>(provider => provider.GetRequiredService<OutboundIdentities>());
        services.AddSingleton<Admin.OutboundIdentityHealth>();
        services.AddSingleton<Admin.IReadinessContributor>(provider => provider.GetRequiredService<Admin.OutboundIdentityHealth>());
        services.AddSingleton<Admin.IStatusContributor>(provider => provider.GetRequiredService<Admin.OutboundIdentityHealth>());
        services.AddSingleton<Telemetry.ICertificateExpirySource, Telemetry.OutboundIdentityExpiries>();
        if (OperatingSystem.IsLinux())
        {
            // One per process: it owns OpenSSL's pkcs11 engine, which serves one module per process.
            services.AddSingleton(provider => OperatingSystem.IsLinux() ? CreateLoader(provider.GetRequiredService<TimeProvider>()) : throw new PlatformNotSupportedException());
            services.AddSingleton<TokenIdentityLoading>();
        }

        services.AddSingleton<TokenSigningCanary>();
        services.AddHostedService<OutboundIdentityMonitor>();

        services.AddSingleton<OutboundClusterRules>();
        services.AddSingleton<IProxyConfigFilter>(provider => provider.GetRequiredService<OutboundClusterRules>());
        services.Replace(ServiceDescriptor.Singleton<IForwarderHttpClientFactory, OutboundHttpClientFactory>());
        return services;
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static Pkcs11IdentityLoader CreateLoader(TimeProvider time) => new(time);
}
