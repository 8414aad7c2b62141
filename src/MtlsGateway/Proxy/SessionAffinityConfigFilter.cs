using MtlsGateway.Hosting;
using Yarp.ReverseProxy.Configuration;

namespace MtlsGateway.Proxy;

/// <summary>
/// Rejects YARP settings that cannot work in this build. HashCookie affinity needs System.IO.Hashing, which this
/// deployment does not carry: YARP would accept the setting and then fail every response of the cluster with 502
/// after the upstream had already run the request. Failing the configuration instead keeps that from happening.
/// </summary>
internal sealed class SessionAffinityConfigFilter : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        Verify(cluster);
        return ValueTask.FromResult(cluster);
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) => ValueTask.FromResult(route);

    public static void Verify(ClusterConfig cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (string.Equals(cluster.SessionAffinity?.Policy, "HashCookie", StringComparison.OrdinalIgnoreCase))
        {
            throw new GatewayConfigurationException(
                $"ReverseProxy:Clusters:{cluster.ClusterId}:SessionAffinity:Policy",
                "HashCookie is not supported by this gateway (its hashing library is not available); use \"Cookie\"");
        }
    }
}
