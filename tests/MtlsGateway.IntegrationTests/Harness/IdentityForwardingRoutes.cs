namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>
/// Routes /xfcc/, /rfc/ and /none/ to the echo upstream, forwarding the client's identity as XFCC, as RFC 9440
/// Client-Cert headers, or not at all.
/// </summary>
internal static class IdentityForwardingRoutes
{
    public static Dictionary<string, string?> AddTo(Dictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (route, format) in new[] { ("xfcc", "Xfcc"), ("rfc", "Rfc9440"), ("none", "None") })
        {
            settings[$"ReverseProxy:Routes:{route}:ClusterId"] = "upstream";
            settings[$"ReverseProxy:Routes:{route}:Match:Path"] = $"/{route}/{{**rest}}";
            settings[$"ReverseProxy:Routes:{route}:Transforms:0:ForwardClientCert"] = format;
        }

        return settings;
    }
}
