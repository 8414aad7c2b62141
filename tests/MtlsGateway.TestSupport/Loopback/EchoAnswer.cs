namespace MtlsGateway.TestSupport.Loopback;

/// <summary>
/// What <see cref="TestUpstream"/>'s echo saw of a request: the method, the request target exactly as it arrived
/// (before any decoding), the protocol, the headers, and on TLS the client certificate and the connection.
/// </summary>
public sealed record EchoAnswer(
    string Upstream,
    string Method,
    string RawTarget,
    string Path,
    string Query,
    string Protocol,
    IReadOnlyDictionary<string, string> Headers,
    string? Subject,
    string Connection,
    bool Held)
{
    public const string Name = "MtlsGateway test upstream";

    /// <summary>A header the upstream received (names compared case-insensitively), or null.</summary>
    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}
