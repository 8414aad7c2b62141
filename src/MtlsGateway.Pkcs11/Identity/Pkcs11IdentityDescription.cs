using System.Globalization;

namespace MtlsGateway.Pkcs11.Identity;

/// <summary>
/// What to log about a loaded identity: where the key is and which certificate it proves. No secrets.
/// <see cref="PinCheckedByToken"/> is false when the token was already logged in by this process (another identity on
/// the same token, or a reload): PKCS#11 then accepts any PIN unchecked, and the engine keeps the PIN it had.
/// </summary>
public sealed record Pkcs11IdentityDescription(
    string Name, string TokenLabel, string TokenSerial, string KeyIdHex, string KeyType, string Subject, DateTimeOffset NotAfter,
    bool PinCheckedByToken)
{
    public override string ToString() =>
        $"outbound identity '{Name}': token '{TokenLabel}' serial {TokenSerial}, {KeyType} key id {KeyIdHex}, " +
        $"certificate '{Subject}' valid until {NotAfter.ToString("u", CultureInfo.InvariantCulture)}" +
        (PinCheckedByToken ? string.Empty : " (token already logged in: PIN not re-checked)");
}
