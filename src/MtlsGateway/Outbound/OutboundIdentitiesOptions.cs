namespace MtlsGateway.Outbound;

/// <summary><c>Gateway:OutboundIdentities</c>: the gateway's own client identities for upstreams, by name (case-insensitive).</summary>
public sealed class OutboundIdentitiesOptions : Dictionary<string, OutboundIdentityOptions>
{
    public const string SectionName = "Gateway:OutboundIdentities";

    public OutboundIdentitiesOptions()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}
