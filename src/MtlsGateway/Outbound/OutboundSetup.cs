using Microsoft.Extensions.DependencyInjection.Extensions;
using MtlsGateway.Hosting;
using MtlsGateway.Pkcs11.Identity;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace MtlsGateway.Outbound;

/// <summary>Registers the outbound identities and runs their start-up checks.</summary>
internal static class OutboundSetup
{
    public static IServiceCollection AddOutboundIdentities(this IServiceCollection services)
    {
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

    /// <summary>Checks the clusters' outbound settings, then loads and self-tests every outbound identity, before Kestrel starts.</summary>
    public static void Verify(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        TimeSpan interval;
        try
        {
            interval = OutboundIdentityMonitor.Interval(configuration);
        }
        catch (InvalidOperationException e)
        {
            throw new GatewayConfigurationException(OutboundIdentityMonitor.IntervalKey, "not a time span (e.g. 00:00:05)", e);
        }

        if (interval <= TimeSpan.Zero)
        {
            throw new GatewayConfigurationException(OutboundIdentityMonitor.IntervalKey, "must be positive");
        }

        var rules = services.GetRequiredService<OutboundClusterRules>();
        foreach (var cluster in services.GetRequiredService<IProxyConfigProvider>().GetConfig().Clusters)
        {
            rules.Verify(cluster);
        }

        services.GetRequiredService<OutboundIdentities>().LoadAll();
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static Pkcs11IdentityLoader CreateLoader(TimeProvider time) => new(time);
}
