namespace MtlsGateway.Admin;

/// <summary>Settings under <c>Gateway:Admin</c>: where the plain-HTTP admin listener (health, status, metrics) listens.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Gateway:Admin";
    public const string DefaultUrl = "http://127.0.0.1:9090";

    /// <summary><c>http://host:port</c>; port 0 picks a free port.</summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>The URL as Kestrel takes it: trimmed, without a trailing slash.</summary>
    public string ListenUrl => Url.Trim().TrimEnd('/');
}
