using MtlsGateway.Pkcs11.Tokens;
using Net.Pkcs11Interop.Common;

namespace MtlsGateway.Pkcs11.Engine;

/// <summary>
/// The RFC 7512 URI (Pkcs11Interop's <see cref="Pkcs11UriBuilder"/>) naming a token's private key for the OpenSSL
/// pkcs11 engine. Never carries a PIN (libp11 prints the whole URI to stderr on failure) nor a module path (libp11
/// rejects it; the module is pinned on the engine).
/// </summary>
public static class EngineKeyUri
{
    public static string ForPrivateKey(TokenInfo token, ReadOnlySpan<byte> keyId)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (keyId.IsEmpty)
        {
            throw new ArgumentException("a key without CKA_ID cannot be named for the engine", nameof(keyId));
        }

        var uri = new Pkcs11UriBuilder(checkLengths: true)
        {
            Token = token.Label,
            Serial = token.SerialNumber.Length > 0 ? token.SerialNumber : null,
            Type = CKO.CKO_PRIVATE_KEY,
            Id = keyId.ToArray(),
        };
        return uri.ToString();
    }
}
