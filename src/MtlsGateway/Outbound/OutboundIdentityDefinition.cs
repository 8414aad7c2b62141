namespace MtlsGateway.Outbound;

/// <summary>One configured outbound identity: <c>Gateway:OutboundIdentities:&lt;Name&gt;</c>.</summary>
internal abstract record OutboundIdentityDefinition(string Name)
{
    public const string SectionName = "Gateway:OutboundIdentities";

    public string Key => $"{SectionName}:{Name}";
}
