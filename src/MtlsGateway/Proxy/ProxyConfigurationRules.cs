using MtlsGateway.Authorization;
using MtlsGateway.Hosting;
using MtlsGateway.Settings;
using Yarp.ReverseProxy.Configuration;

namespace MtlsGateway.Proxy;

/// <summary>
/// Checks YARP routes and clusters for settings this gateway cannot honour, at start-up (one clear line) and on every
/// configuration reload (YARP then keeps the previous configuration): an unknown key anywhere in the configuration
/// (<see cref="KnownSettings"/>), a policy name that is not configured, an identity-forwarding format that does not exist.
/// </summary>
internal sealed class ProxyConfigurationRules(CertificatePolicies policies, KnownSettings known, IConfiguration configuration) : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        known.Verify(configuration);
        return ValueTask.FromResult(cluster);
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        known.Verify(configuration);
        VerifyRoute(route, policies.Current);
        return ValueTask.FromResult(route);
    }

    public static void VerifyRoute(RouteConfig route, CertificatePolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(settings);
        if (route.AuthorizationPolicy is { Length: > 0 } policy
            && !CertificatePolicySettings.ReservedNames.Contains(policy, StringComparer.OrdinalIgnoreCase)
            && !settings.Policies.ContainsKey(policy))
        {
            throw new GatewayConfigurationException(
                $"ReverseProxy:Routes:{route.RouteId}:AuthorizationPolicy",
                $"no policy named '{policy}' under {CertificatePolicySettings.SectionName}:Policies");
        }

        foreach (var transform in route.Transforms ?? [])
        {
            if (transform.TryGetValue(ClientCertForwardingTransformFactory.Key, out var format))
            {
                try
                {
                    ClientCertForwardingTransformFactory.Parse(format);
                }
                catch (ArgumentException e)
                {
                    throw new GatewayConfigurationException($"ReverseProxy:Routes:{route.RouteId}:Transforms", e.Message, e);
                }
            }
        }
    }
}
