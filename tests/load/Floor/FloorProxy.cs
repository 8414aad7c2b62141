using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace MtlsGateway.LoadFloor;

/// <summary>YARP with one catch-all route to the upstream, configured in memory from <see cref="FloorOptions"/>.</summary>
internal static class FloorProxy
{
    public static void AddFloorProxy(this IServiceCollection services, FloorOptions options)
    {
        var http2 = options.UpstreamVersion == "2";
        var route = new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "{**catch-all}" } };
        var cluster = new ClusterConfig
        {
            ClusterId = "upstream",
            Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal)
            {
                ["upstream"] = new DestinationConfig { Address = options.Upstream!.ToString() },
            },
            HttpRequest = new ForwarderRequestConfig
            {
                Version = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
                VersionPolicy = http2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
                AllowResponseBuffering = options.AllowResponseBuffering,
            },
            HttpClient = new HttpClientConfig { MaxConnectionsPerServer = options.MaxConnectionsPerServer },
        };
        var proxy = services.AddReverseProxy().LoadFromMemory([route], [cluster]);
        if (!options.ActivityPropagation)
        {
            proxy.ConfigureHttpClient((_, handler) => handler.ActivityHeadersPropagator = null);
        }
    }
}
