using Microsoft.Extensions.Options;
using MtlsGateway.ClientCertificates;
using MtlsGateway.Hosting;
using MtlsGateway.Telemetry;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;
using MtlsGateway.Validation.Revocation.Fetching;
using MtlsGateway.Validation.Revocation.Ocsp;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Revocation;

/// <summary>
/// Owns the process's revocation data: the local CRL files, the CRLs downloaded from distribution points, the OCSP
/// answers, and the one fetcher they share. Builds the revocation check the validator runs, with the sources in the
/// order cheapest first: local CRLs, downloaded CRLs (one download serves many clients), then OCSP.
/// </summary>
public sealed class RevocationSources : IDisposable
{
    private readonly HttpMessageInvoker? invoker;

    public RevocationSources(IOptions<RevocationOptions> revocationOptions, IOptions<ClientCertificateOptions> clientOptions, ValidationEpoch epoch, RevocationMetrics metrics, ILoggerFactory loggers, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(revocationOptions);
        ArgumentNullException.ThrowIfNull(clientOptions);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(loggers);
        var options = revocationOptions.Value;
        var skew = clientOptions.Value.ClockSkew;
        var minimums = clientOptions.Value.ToPathValidationPolicy().Minimums;
        var sources = new List<IRevocationSource>();

        if (options.CrlFiles.Count > 0)
        {
            try
            {
                CrlFiles = new CrlFileStore(options.CrlFiles, clientOptions.Value.ReloadInterval, epoch, loggers.CreateLogger<CrlFileStore>(), timeProvider);
            }
            catch (CertificateSourceException e)
            {
                throw new GatewayConfigurationException(RevocationOptions.SectionName + ":CrlFiles", e.Message, e);
            }

            var store = CrlFiles;
            sources.Add(new CrlFileRevocationSource(() => store.Current, skew, minimums));
        }

        if (options.FetchCrls || options.Ocsp)
        {
            invoker = new HttpMessageInvoker(
                new SocketsHttpHandler { ConnectTimeout = options.FetchTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxAutomaticRedirections = 3 },
                disposeHandler: true);
            Fetcher = new RevocationFetcher(
                invoker,
                new RevocationFetcherOptions { FetchTimeout = options.FetchTimeout, FailureMemory = options.FailureMemory },
                timeProvider,
                loggers.CreateLogger<RevocationFetcher>());
            Fetcher.FetchCompleted += metrics.FetchCompleted;
        }

        if (options.FetchCrls)
        {
            DownloadedCrls = new CrlDistributionPointCache<CrlSet>(
                Fetcher!,
                FetchedCrls.Read,
                new CrlDistributionPointCacheOptions { CacheFolder = options.CrlCacheFolder },
                epoch,
                timeProvider,
                loggers.CreateLogger<CrlDistributionPointCache<CrlSet>>());
            sources.Add(new CrlFetchRevocationSource<CrlSet>(DownloadedCrls, FetchedCrls.Lookup(skew, minimums), FetchedCrls.DeltaLocations));
        }

        if (options.Ocsp)
        {
            OcspClient = new OcspClient(
                Fetcher!,
                new OcspClientOptions { Verification = new OcspVerificationOptions { ClockSkew = skew, MaxCacheAge = options.OcspMaxCacheAge, Minimums = minimums }, FailureMemory = options.FailureMemory },
                epoch,
                timeProvider,
                loggers.CreateLogger<OcspClient>());
            sources.Add(new OcspRevocationSource(OcspClient));
        }

        Check = new RevocationCheck(options.Mode, options.Scope, sources, metrics.CheckAnswered);
        metrics.Observe(this);
    }

    public RevocationCheck Check { get; }

    public CrlFileStore? CrlFiles { get; }

    public CrlDistributionPointCache<CrlSet>? DownloadedCrls { get; }

    public OcspClient? OcspClient { get; }

    public RevocationFetcher? Fetcher { get; }

    public static int EnabledSourceCount(RevocationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (options.CrlFiles.Count > 0 ? 1 : 0) + (options.FetchCrls ? 1 : 0) + (options.Ocsp ? 1 : 0);
    }

    public void Dispose()
    {
        CrlFiles?.Dispose();
        DownloadedCrls?.Dispose();
        invoker?.Dispose();
    }
}
