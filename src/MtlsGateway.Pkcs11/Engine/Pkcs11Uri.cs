using System.Text;
using MtlsGateway.Pkcs11.Tokens;

namespace MtlsGateway.Pkcs11.Engine;

/// <summary>
/// RFC 7512 URIs naming a token key for the OpenSSL pkcs11 engine. Never carries a PIN (libp11 prints the whole URI
/// to stderr on failure) nor a module path (libp11 rejects it; the module is pinned on the engine).
/// </summary>
public static class Pkcs11Uri
{
    public static string ForPrivateKey(TokenInfo token, ReadOnlySpan<byte> keyId)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (keyId.IsEmpty)
        {
            throw new ArgumentException("a key without CKA_ID cannot be named for the engine", nameof(keyId));
        }

        var uri = new StringBuilder("pkcs11:token=");
        Encode(uri, Encoding.UTF8.GetBytes(token.Label), keepUnreserved: true);
        if (token.SerialNumber.Length > 0)
        {
            uri.Append(";serial=");
            Encode(uri, Encoding.UTF8.GetBytes(token.SerialNumber), keepUnreserved: true);
        }

        uri.Append(";id=");
        Encode(uri, keyId, keepUnreserved: false);
        return uri.Append(";type=private").ToString();
    }

    private static void Encode(StringBuilder uri, ReadOnlySpan<byte> value, bool keepUnreserved)
    {
        foreach (var b in value)
        {
            if (keepUnreserved && (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~'))
            {
                uri.Append((char)b);
            }
            else
            {
                uri.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
