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
        VerifyCluster(cluster);
        return ValueTask.FromResult(cluster);
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        known.Verify(configuration);

        // YARP passes no cluster both when none is configured and when the configured one failed its own checks; only
        // the first is this route's fault (the second is reported under the cluster's key).
        var configured = cluster is not null || (route.ClusterId is { } id && configuration.GetSection("ReverseProxy:Clusters").GetChildren().Any(child => string.Equals(child.Key, id, StringComparison.OrdinalIgnoreCase)));
        VerifyRoute(route, configured, policies.Current);
        return ValueTask.FromResult(route);
    }

    /// <summary>
    /// Every destination must be an absolute http:// or https:// URL with a host: YARP takes "htp//127.0.0.1:8000"
    /// and answers 502 to every request.
    /// </summary>
    public static void VerifyCluster(ClusterConfig cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        foreach (var (name, destination) in cluster.Destinations ?? new Dictionary<string, DestinationConfig>())
        {
            var key = $"ReverseProxy:Clusters:{cluster.ClusterId}:Destinations:{name}";
            VerifyUrl(key + ":Address", destination.Address, required: true);
            VerifyUrl(key + ":Health", destination.Health, required: false);
        }
    }

    /// <summary>A route must name a cluster that exists: YARP starts with it and answers every request with an empty 503.</summary>
    public static void VerifyRoute(RouteConfig route, bool clusterExists, CertificatePolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(route.ClusterId))
        {
            throw new GatewayConfigurationException($"ReverseProxy:Routes:{route.RouteId}:ClusterId", "missing: name the cluster under ReverseProxy:Clusters that receives this route's requests");
        }

        if (!clusterExists)
        {
            throw new GatewayConfigurationException($"ReverseProxy:Routes:{route.RouteId}:ClusterId", $"no cluster named '{route.ClusterId}' under ReverseProxy:Clusters");
        }
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

    private static void VerifyUrl(string key, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                throw new GatewayConfigurationException(key, "missing: an absolute URL such as http://10.0.0.5:8080/");
            }

            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || !string.IsNullOrEmpty(uri.UserInfo)
            || value.Any(character => char.IsControl(character) || char.IsWhiteSpace(character)))
        {
            throw new GatewayConfigurationException(key, $"'{Printable(value)}' is not an absolute http:// or https:// URL with a host (for example http://10.0.0.5:8080/)");
        }
    }

    private static string Printable(string value) =>
        string.Concat(value.Select(character => char.IsControl(character) ? $"\\u{(int)character:x4}" : character.ToString()));
}
