namespace MtlsGateway.Proxy;

/// <summary>
/// Headers that carry a client's identity to upstreams. Only the gateway may set them, so copies a client sends are
/// removed before the request goes anywhere.
/// </summary>
internal static class ClientIdentityHeaders
{
    public static readonly IReadOnlyList<string> Names = ["X-Forwarded-Client-Cert", "Client-Cert", "Client-Cert-Chain", "X-Client-Cert"];

    public static void RemoveFrom(IHeaderDictionary headers)
    {
        foreach (var name in Names)
        {
            headers.Remove(name);
        }
    }
}
