using Microsoft.Extensions.DependencyInjection.Extensions;
using MtlsGateway.Settings;
using Yarp.ReverseProxy.Configuration;

namespace MtlsGateway.Admin;

/// <summary>Registers the admin listener (<c>Gateway:Admin</c>) and the gateway's own readiness and status contributors.</summary>
internal static class AdminServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayAdmin(this IServiceCollection services)
    {
        services.AddValidatedOptions<AdminOptions, AdminOptionsValidator>(AdminOptions.SectionName);
        services.AddSingleton<TrustListHealth>();
        services.AddSingleton<IReadinessContributor>(provider => provider.GetRequiredService<TrustListHealth>());
        services.AddSingleton<IStatusContributor>(provider => provider.GetRequiredService<TrustListHealth>());

        services.AddSingleton<ProxyConfigurationHealth>();
        services.AddSingleton<IConfigChangeListener>(provider => provider.GetRequiredService<ProxyConfigurationHealth>());
        services.AddSingleton<IReadinessContributor>(provider => provider.GetRequiredService<ProxyConfigurationHealth>());
        services.AddSingleton<IStatusContributor>(provider => provider.GetRequiredService<ProxyConfigurationHealth>());

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStatusContributor, CertificateExpiryStatus>());
        services.AddSingleton<RevocationHealth>();
        services.AddSingleton<IReadinessContributor>(provider => provider.GetRequiredService<RevocationHealth>());
        services.AddSingleton<IStatusContributor>(provider => provider.GetRequiredService<RevocationHealth>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStatusContributor, ConfigurationReloads>());

        services.AddSingleton<AdminListener>();
        services.AddHostedService<AdminHostedService>();
        return services;
    }
}
