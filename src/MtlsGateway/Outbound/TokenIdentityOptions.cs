namespace MtlsGateway.Outbound;

/// <summary><c>Gateway:OutboundIdentities:&lt;name&gt;:Pkcs11</c>: a key on a smart card or HSM. The PIN is never a setting: only where to read it.</summary>
public sealed class TokenIdentityOptions
{
    public string? ModulePath { get; set; }

    public string? TokenLabel { get; set; }

    public string? TokenSerial { get; set; }

    public string? KeyLabel { get; set; }

    public string? KeyId { get; set; }

    public string? PinFile { get; set; }

    public string? PinEnvironmentVariable { get; set; }

    /// <summary>Take the certificate from this file instead of the token.</summary>
    public string? CertificatePath { get; set; }
}
