namespace MtlsGateway.DevelopmentMode;

/// <summary>Settings under <c>Gateway:Development</c>, used in the Development environment only.</summary>
public sealed class DevelopmentOptions
{
    public const string SectionName = "Gateway:Development";

    /// <summary>Folder of the development PKI, created when missing.</summary>
    public string? PkiFolder { get; set; }

    /// <summary>Start the echo upstream on loopback.</summary>
    public bool EchoUpstream { get; set; }

    /// <summary>The cluster whose destination is pointed at the echo upstream.</summary>
    public string EchoCluster { get; set; } = "dev-echo";
}
