namespace MtlsGateway.Outbound;

/// <summary>The two outbound-identity settings directly under <c>Gateway</c>: how often tokens are probed and made to sign.</summary>
public sealed class OutboundMonitoringOptions
{
    public const string SectionName = "Gateway";

    /// <summary>How often token presence is probed (slot list and token info, no login).</summary>
    public TimeSpan OutboundIdentityProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each token identity signs a challenge through the engine key; zero turns it off.</summary>
    public TimeSpan OutboundIdentitySigningCheckInterval { get; set; } = TimeSpan.FromMinutes(5);
}
