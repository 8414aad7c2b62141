using System.Runtime.Versioning;
using System.Security.Cryptography;
using MtlsGateway.Hosting;
using MtlsGateway.Pkcs11.Identity;

namespace MtlsGateway.Outbound;

/// <summary>
/// Loads a token identity through the process's one <see cref="Pkcs11IdentityLoader"/> (which self-tests it): reads the
/// PIN, hands it over, zeroes it. Failures keep the loader's one-line cause; the PIN is in none of them.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TokenIdentityLoading(Pkcs11IdentityLoader loader)
{
    /// <exception cref="GatewayConfigurationException">PIN source or certificate file unusable.</exception>
    /// <exception cref="OutboundIdentityException">The token, key or certificate failed (wrong PIN, token missing...).</exception>
    public Pkcs11Identity Load(TokenIdentityDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        using var certificate = definition.CertificatePath is { } path ? IdentityCertificateFile.Read($"{definition.Key}:Pkcs11:CertificatePath", path) : null;
        var pin = definition.Pin.Read();
        try
        {
            return loader.Load(definition.Options, pin, certificate);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pin);
        }
    }

}
