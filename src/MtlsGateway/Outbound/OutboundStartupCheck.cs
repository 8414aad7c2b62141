using Yarp.ReverseProxy.Configuration;

namespace MtlsGateway.Outbound;

/// <summary>Before Kestrel starts: the clusters' outbound settings hold, and every outbound identity loads and proves itself.</summary>
internal static class OutboundStartupCheck
{
    /// <exception cref="Hosting.GatewayConfigurationException">Naming the setting at fault.</exception>
    public static void Verify(IServiceProvider services)
    {
        var rules = services.GetRequiredService<OutboundClusterRules>();
        foreach (var cluster in services.GetRequiredService<IProxyConfigProvider>().GetConfig().Clusters)
        {
            rules.Verify(cluster);
        }

        services.GetRequiredService<OutboundIdentities>().LoadAll();
    }
}
