using Yarp.ReverseProxy.Configuration;

namespace MtlsGateway.Admin;

/// <summary>
/// Follows YARP's configuration loads: ready once a configuration was applied and no newer one failed to load or apply
/// (YARP keeps serving the previous one then, which is not what the operator deployed).
/// </summary>
internal sealed class ProxyConfigurationHealth(TimeProvider timeProvider) : IConfigChangeListener, IReadinessContributor, IStatusContributor
{
    private readonly Lock gate = new();
    private DateTimeOffset? appliedAt;
    private DateTimeOffset? failedAt;
    private string? lastError;
    private int routes;
    private int clusters;

    public string Name => "proxy_configuration";

    public string Section => "proxyConfiguration";

    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception ex) => Failed(ex);

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception ex) => Failed(ex);

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        ArgumentNullException.ThrowIfNull(proxyConfigs);
        lock (gate)
        {
            appliedAt = timeProvider.GetUtcNow();
            failedAt = null;
            lastError = null;
            routes = proxyConfigs.Sum(config => config.Routes.Count);
            clusters = proxyConfigs.Sum(config => config.Clusters.Count);
        }
    }

    public ReadinessResult Check()
    {
        lock (gate)
        {
            if (appliedAt is null)
            {
                return ReadinessResult.Unusable(lastError is null ? "no proxy configuration applied yet" : "the proxy configuration cannot be applied: " + lastError);
            }

            return failedAt is null
                ? ReadinessResult.Usable($"{routes} route(s), {clusters} cluster(s)")
                : ReadinessResult.Unusable("the newest proxy configuration cannot be applied: " + lastError);
        }
    }

    public object Describe()
    {
        lock (gate)
        {
            return new { appliedAt, failedAt, lastError, routes, clusters };
        }
    }

    private void Failed(Exception exception)
    {
        lock (gate)
        {
            failedAt = timeProvider.GetUtcNow();
            lastError = Telemetry.OneLineConsoleFormatter.Summarize(exception);
        }
    }
}
