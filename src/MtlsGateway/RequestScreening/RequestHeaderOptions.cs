namespace MtlsGateway.RequestScreening;

/// <summary>The request-header settings directly under <c>Gateway</c>.</summary>
public sealed class RequestHeaderOptions
{
    public const string SectionName = "Gateway";

    /// <summary>
    /// Header names (or prefixes ending in '*') removed from every request besides the built-in client-identity list,
    /// compared case-insensitively with '_' read as '-'.
    /// </summary>
    public List<string> ClientIdentityHeaders { get; } = [];

    /// <summary>
    /// Whether request headers whose name holds '_' are forwarded. Off by default, as in nginx: CGI-style upstreams read
    /// X_Forwarded_Client_Cert as X-Forwarded-Client-Cert.
    /// </summary>
    public bool AllowUnderscoresInHeaderNames { get; set; }
}
