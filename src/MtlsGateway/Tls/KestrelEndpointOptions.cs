namespace MtlsGateway.Tls;

/// <summary>The parts of a <c>Kestrel:Endpoints:&lt;name&gt;</c> endpoint the gateway checks at start-up.</summary>
public sealed class KestrelEndpointOptions
{
    public string? Url { get; set; }

    public ServerCertificateOptions? Certificate { get; set; }

    /// <summary>Per host name settings (<c>Sni:&lt;host&gt;</c>).</summary>
    public Dictionary<string, KestrelSniOptions> Sni { get; } = new(StringComparer.OrdinalIgnoreCase);
}
