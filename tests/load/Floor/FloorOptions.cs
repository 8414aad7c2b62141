namespace MtlsGateway.LoadFloor;

/// <summary>
/// The floor's settings, section <c>Floor</c> (given as <c>--Floor:Key=value</c> by tests/load/compare.sh). The
/// defaults are YARP's and Kestrel's own; the other values exist to measure what each setting costs.
/// </summary>
internal sealed class FloorOptions
{
    public const string SectionName = "Floor";

    /// <summary>Where the floor listens, an https:// URL with a literal IP address.</summary>
    public Uri Url { get; set; } = new("https://127.0.0.1:18443");

    /// <summary>Server certificate (PEM).</summary>
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>Server key (PEM).</summary>
    public string KeyPath { get; set; } = string.Empty;

    /// <summary>The one CA that client certificates come from (PEM); the handshake's chain build is confined to it.</summary>
    public string CaPath { get; set; } = string.Empty;

    public FloorMode Mode { get; set; } = FloorMode.Proxy;

    /// <summary>The upstream YARP forwards to (Proxy mode).</summary>
    public Uri? Upstream { get; set; }

    /// <summary>HTTP version to the upstream: 1.1, or 2 (cleartext HTTP/2 with prior knowledge).</summary>
    public string UpstreamVersion { get; set; } = "1.1";

    /// <summary>Whether SocketsHttpHandler writes trace context headers upstream (YARP's default: yes).</summary>
    public bool ActivityPropagation { get; set; } = true;

    /// <summary>YARP's <c>ForwarderRequestConfig.AllowResponseBuffering</c>; unset leaves YARP's default.</summary>
    public bool? AllowResponseBuffering { get; set; }

    /// <summary>YARP's <c>HttpClientConfig.MaxConnectionsPerServer</c>; unset leaves SocketsHttpHandler's default.</summary>
    public int? MaxConnectionsPerServer { get; set; }

    /// <summary>Whether the CertificateRequest names the CA, as the gateway's does.</summary>
    public bool AdvertiseCaNames { get; set; } = true;

    /// <summary>SslServerAuthenticationOptions.AllowTlsResume (.NET's default: true).</summary>
    public bool AllowTlsResume { get; set; } = true;
}
