namespace MtlsGateway.Outbound;

/// <summary>One outbound identity: exactly one of a token key (<see cref="Pkcs11"/>) or a software key (<see cref="File"/>).</summary>
public sealed class OutboundIdentityOptions
{
    public TokenIdentityOptions? Pkcs11 { get; set; }

    public FileIdentityOptions? File { get; set; }
}
