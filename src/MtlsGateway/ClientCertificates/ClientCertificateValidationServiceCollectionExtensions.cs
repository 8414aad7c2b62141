using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MtlsGateway.Hosting;
using MtlsGateway.Settings;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// Registers the judge of client certificates (<c>Gateway:ClientCertificates</c>): the trust list, the validator with
/// every <see cref="ICertificatePathCheck"/> registered (revocation adds its own), and the verdict cache.
/// </summary>
internal static class ClientCertificateValidationServiceCollectionExtensions
{
    public static IServiceCollection AddClientCertificateValidation(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<ClientCertificateOptions, ClientCertificateOptionsValidator>(ClientCertificateOptions.SectionName)
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                ContentRootPaths.Resolve(options.TrustedCaFiles, environment.ContentRootPath);
                ContentRootPaths.Resolve(options.IntermediateFiles, environment.ContentRootPath);
            });
        services.TryAddSingleton<ValidationEpoch>();
        services.AddSingleton(CreateTrustListProvider);
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ClientCertificateOptions>>().Value;
            return new VerdictCache(options.VerdictCacheSize, options.VerdictCacheLifetime, provider.GetRequiredService<ValidationEpoch>(), provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ClientCertificateOptions>>().Value;
            var trustList = provider.GetRequiredService<TrustListProvider>();
            PolicySettingsWarnings.Log(provider.GetRequiredService<ILoggerFactory>().CreateLogger<ClientCertificateValidator>(), options);
            return new ClientCertificateValidator(
                () => trustList.Current,
                options.ToPathValidationPolicy(),
                [.. provider.GetServices<ICertificatePathCheck>()],
                provider.GetRequiredService<ValidationEpoch>());
        });
        services.AddSingleton(provider => new HandshakeChainMemory(provider.GetRequiredService<IOptions<ClientCertificateOptions>>().Value.SessionChainMemoryBytes));
        services.AddSingleton<PresentedCertificates>();
        services.AddSingleton<ClientConnectionRegistry>();
        services.AddSingleton<ConnectionVerdicts>();
        services.AddSingleton<VerdictIdentities>();
        return services;
    }

    private static TrustListProvider CreateTrustListProvider(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<ClientCertificateOptions>>().Value;
        try
        {
            return new TrustListProvider(
                options.TrustedCaFiles,
                options.IntermediateFiles,
                options.ReloadInterval,
                provider.GetRequiredService<ValidationEpoch>(),
                provider.GetRequiredService<ILogger<TrustListProvider>>(),
                provider.GetRequiredService<TimeProvider>());
        }
        catch (CertificateSourceException e)
        {
            var setting = options.IntermediateFiles.Any(entry => e.Source.StartsWith(entry, StringComparison.Ordinal)) ? "IntermediateFiles" : "TrustedCaFiles";
            throw new GatewayConfigurationException($"{ClientCertificateOptions.SectionName}:{setting}", e.Message, e);
        }
    }
}
