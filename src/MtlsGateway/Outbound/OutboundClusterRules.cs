using MtlsGateway.Hosting;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Trust;
using Yarp.ReverseProxy.Configuration;

namespace MtlsGateway.Outbound;

/// <summary>
/// The outbound side of a YARP cluster: <c>Metadata:OutboundIdentity</c> must name a configured identity,
/// <c>Metadata:UpstreamTrustedCaFile</c> must be a readable CA file, and
/// <c>HttpClient:DangerousAcceptAnyServerCertificate</c> is refused outright (the gateway always verifies upstreams;
/// pin a private CA instead). Checked at start-up and on every configuration reload (YARP keeps the previous one).
/// </summary>
internal sealed class OutboundClusterRules(OutboundIdentities identities, IHostEnvironment environment) : IProxyConfigFilter
{
    public const string OutboundIdentityKey = "OutboundIdentity";
    public const string UpstreamTrustedCaFileKey = "UpstreamTrustedCaFile";

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        Verify(cluster);
        return ValueTask.FromResult(cluster);
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) => ValueTask.FromResult(route);

    /// <exception cref="GatewayConfigurationException">Naming the cluster setting at fault.</exception>
    public void Verify(ClusterConfig cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var prefix = $"ReverseProxy:Clusters:{cluster.ClusterId}";
        if (cluster.HttpClient?.DangerousAcceptAnyServerCertificate == true)
        {
            throw new GatewayConfigurationException(
                $"{prefix}:HttpClient:DangerousAcceptAnyServerCertificate",
                $"refused: the gateway always verifies upstream server certificates; pin the upstream's CA with Metadata:{UpstreamTrustedCaFileKey} instead");
        }

        var identity = IdentityName(cluster);
        if (identity is not null && !identities.IsDefined(identity))
        {
            throw new GatewayConfigurationException(
                $"{prefix}:Metadata:{OutboundIdentityKey}", $"no outbound identity named '{identity}' under {OutboundIdentityDefinition.SectionName}");
        }

        var pinned = PinnedTrust(cluster.ClusterId, cluster.Metadata);
        if (identity is not null || pinned is not null)
        {
            foreach (var (name, destination) in cluster.Destinations ?? new Dictionary<string, DestinationConfig>())
            {
                if (!destination.Address.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                {
                    throw new GatewayConfigurationException(
                        $"{prefix}:Destinations:{name}:Address",
                        $"'{destination.Address}' is not https://, but the cluster sets an outbound identity or a pinned upstream CA");
                }
            }
        }
    }

    /// <summary>The cluster's outbound identity name, or null when it has none.</summary>
    /// <exception cref="GatewayConfigurationException">Set but empty.</exception>
    public static string? IdentityName(ClusterConfig cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (cluster.Metadata is null || !cluster.Metadata.TryGetValue(OutboundIdentityKey, out var name))
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(name)
            ? throw new GatewayConfigurationException($"ReverseProxy:Clusters:{cluster.ClusterId}:Metadata:{OutboundIdentityKey}", "empty; name an outbound identity or remove the setting")
            : name.Trim();
    }

    /// <summary>The trust anchors pinned for the cluster's upstreams, or null to use the OS trust store.</summary>
    /// <exception cref="GatewayConfigurationException">The file is missing, unreadable, holds no certificate or a certificate that cannot be a CA.</exception>
    public TrustList? PinnedTrust(string clusterId, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || !metadata.TryGetValue(UpstreamTrustedCaFileKey, out var file))
        {
            return null;
        }

        var key = $"ReverseProxy:Clusters:{clusterId}:Metadata:{UpstreamTrustedCaFileKey}";
        if (string.IsNullOrWhiteSpace(file))
        {
            throw new GatewayConfigurationException(key, "empty; name the CA file that issues the upstream's server certificate, or remove the setting");
        }

        try
        {
            return TrustList.Load([Path.GetFullPath(file.Trim(), environment.ContentRootPath)], [], DateTimeOffset.UtcNow);
        }
        catch (CertificateSourceException e)
        {
            throw new GatewayConfigurationException(key, e.Message, e);
        }
    }
}
