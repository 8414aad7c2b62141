using Net.Pkcs11Interop.Common;

namespace MtlsGateway.Pkcs11.Modules;

/// <summary>
/// PKCS#11 errors in the words an operator can search for: "C_OpenSession: CKR_TOKEN_NOT_PRESENT (0xE0)". Never a PIN
/// or key material (Pkcs11Interop's exceptions carry only the function and the return value).
/// </summary>
public static class Pkcs11Errors
{
    public static string Describe(Pkcs11Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"{error.Method}: {Describe(error.RV)}";
    }

    /// <summary>"CKR_PIN_INCORRECT (0xA0)"; vendor codes keep their number.</summary>
    public static string Describe(CKR returnValue) =>
        Enum.IsDefined(returnValue) ? $"{returnValue} (0x{(ulong)returnValue:X})" : $"CKR 0x{(ulong)returnValue:X}";

    /// <summary>The token or its reader is gone (card pulled, HSM restarted, USB unplugged).</summary>
    public static bool MeansTokenGone(CKR returnValue) =>
        returnValue is CKR.CKR_TOKEN_NOT_PRESENT or CKR.CKR_DEVICE_REMOVED or CKR.CKR_DEVICE_ERROR or CKR.CKR_SESSION_HANDLE_INVALID
            or CKR.CKR_SESSION_CLOSED or CKR.CKR_SLOT_ID_INVALID or CKR.CKR_TOKEN_NOT_RECOGNIZED;

    public static bool IsTokenGone(this Pkcs11Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return MeansTokenGone(error.RV);
    }
}
