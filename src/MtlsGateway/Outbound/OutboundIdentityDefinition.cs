using MtlsGateway.Pkcs11.Identity;

namespace MtlsGateway.Outbound;

/// <summary>One configured outbound identity: <c>Gateway:OutboundIdentities:&lt;Name&gt;</c>.</summary>
internal abstract record OutboundIdentityDefinition(string Name)
{
    public const string SectionName = "Gateway:OutboundIdentities";

    public string Key => $"{SectionName}:{Name}";
}

/// <summary>A key on a token (smart card, HSM) reached through its PKCS#11 module; certificate from the token or a file.</summary>
internal sealed record TokenIdentityDefinition(string Name, Pkcs11IdentityOptions Options, PinSource Pin, string? CertificatePath)
    : OutboundIdentityDefinition(Name);

/// <summary>A software key: certificate and unencrypted private key in files.</summary>
internal sealed record FileIdentityDefinition(string Name, string CertificatePath, string KeyPath)
    : OutboundIdentityDefinition(Name);
