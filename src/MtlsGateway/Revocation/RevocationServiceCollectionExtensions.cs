using Microsoft.Extensions.DependencyInjection.Extensions;
using MtlsGateway.Hosting;
using MtlsGateway.Settings;
using MtlsGateway.Telemetry;
using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Revocation;

/// <summary>
/// Registers revocation checking (<c>Gateway:ClientCertificates:Revocation</c>): the CRL files, downloaded CRLs and
/// OCSP answers (<see cref="RevocationSources"/>), and the check the validator runs. check-cert builds it the same way.
/// </summary>
internal static class RevocationServiceCollectionExtensions
{
    public static IServiceCollection AddRevocation(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<RevocationOptions, RevocationOptionsValidator>(RevocationOptions.SectionName)
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                ContentRootPaths.Resolve(options.CrlFiles, environment.ContentRootPath);
                options.CrlCacheFolder = Path.GetFullPath(
                    options.CrlCacheFolder ?? Path.Combine(Path.GetTempPath(), "mtlsgateway", "crl-cache"),
                    environment.ContentRootPath);
            });
        services.AddSingleton<RevocationMetrics>();
        services.AddSingleton<RevocationSources>();
        services.AddSingleton<ICertificatePathCheck>(provider => provider.GetRequiredService<RevocationSources>().Check);
        services.AddSingleton<RevocationCoverage>();
        services.AddHostedService<RevocationCoverageWarning>();
        return services;
    }
}
