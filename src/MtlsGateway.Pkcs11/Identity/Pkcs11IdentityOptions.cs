using MtlsGateway.Pkcs11.Tokens;

namespace MtlsGateway.Pkcs11.Identity;

/// <summary>
/// Where an outbound identity lives: <c>Gateway:OutboundIdentities:&lt;Name&gt;:Pkcs11</c>. Holds no secret: the
/// host reads the PIN (PinFile / PinEnvironmentVariable) and passes it to the loader separately.
/// </summary>
public sealed record Pkcs11IdentityOptions(
    string Name, string ModulePath, string? TokenLabel, string? TokenSerial, string? KeyLabel, string? KeyIdHex)
{
    public TokenSelector Token => new(TokenLabel, TokenSerial);

    /// <summary>The configuration problem in one line, or null when the options are usable.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(ModulePath))
        {
            return "ModulePath is required";
        }

        if (string.IsNullOrEmpty(TokenLabel) && string.IsNullOrEmpty(TokenSerial))
        {
            return "TokenLabel or TokenSerial is required";
        }

        if (string.IsNullOrEmpty(KeyLabel) && string.IsNullOrEmpty(KeyIdHex))
        {
            return "KeyLabel or KeyId is required";
        }

        return KeyIdHex is { Length: > 0 } && !IsHex(KeyIdHex) ? "KeyId must be hexadecimal (e.g. 01 or a1b2)" : null;
    }

    public byte[] KeyId() => string.IsNullOrEmpty(KeyIdHex) ? [] : Convert.FromHexString(KeyIdHex);

    private static bool IsHex(string value) => value.Length % 2 == 0 && value.All(char.IsAsciiHexDigit);
}
