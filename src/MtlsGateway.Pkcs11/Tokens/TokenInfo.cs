using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>What CK_TOKEN_INFO says about a token; public information only.</summary>
public sealed record TokenInfo(ulong SlotId, string Label, string Manufacturer, string Model, string SerialNumber, ulong Flags)
{
    private static readonly (ulong Flag, string Name)[] Names =
    [
        (CKF.CKF_RNG, "rng"), (CKF.CKF_WRITE_PROTECTED, "write-protected"), (CKF.CKF_LOGIN_REQUIRED, "login-required"),
        (CKF.CKF_USER_PIN_INITIALIZED, "pin-initialized"), (CKF.CKF_PROTECTED_AUTHENTICATION_PATH, "protected-auth-path"),
        (CKF.CKF_TOKEN_INITIALIZED, "token-initialized"), (CKF.CKF_USER_PIN_COUNT_LOW, "user-pin-count-low"),
        (CKF.CKF_USER_PIN_FINAL_TRY, "user-pin-final-try"), (CKF.CKF_USER_PIN_LOCKED, "user-pin-locked"),
        (CKF.CKF_USER_PIN_TO_BE_CHANGED, "user-pin-to-be-changed"),
    ];

    public bool LoginRequired => (Flags & CKF.CKF_LOGIN_REQUIRED) != 0;

    public bool Initialized => (Flags & CKF.CKF_TOKEN_INITIALIZED) != 0;

    public bool UserPinLocked => (Flags & CKF.CKF_USER_PIN_LOCKED) != 0;

    /// <summary>Set by the token after a wrong PIN (and cleared by a right one).</summary>
    public bool UserPinCountLow => (Flags & CKF.CKF_USER_PIN_COUNT_LOW) != 0;

    public bool UserPinFinalTry => (Flags & CKF.CKF_USER_PIN_FINAL_TRY) != 0;

    public bool WriteProtected => (Flags & CKF.CKF_WRITE_PROTECTED) != 0;

    public IReadOnlyList<string> FlagNames => [.. Names.Where(n => (Flags & n.Flag) != 0).Select(n => n.Name)];

    public static TokenInfo From(ITokenInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new TokenInfo(info.SlotId, info.Label, info.ManufacturerId, info.Model, info.SerialNumber, info.TokenFlags.Flags);
    }
}
