using MtlsGateway.Pkcs11.Identity;

namespace MtlsGateway.Outbound;

/// <summary>A key on a token (smart card, HSM) reached through its PKCS#11 module; certificate from the token or a file.</summary>
internal sealed record TokenIdentityDefinition(string Name, Pkcs11IdentityOptions Options, PinSource Pin, string? CertificatePath)
    : OutboundIdentityDefinition(Name);
