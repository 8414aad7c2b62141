using MtlsGateway.Pkcs11.Modules;
using Net.Pkcs11Interop.Common;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>
/// C_Login refused the PIN (CKR_PIN_INCORRECT). Its own type because the caller must never retry on its own: a card
/// locks after a few wrong PINs. The message is "C_Login: CKR_PIN_INCORRECT (0xA0)", never the PIN.
/// </summary>
public sealed class PinIncorrectException : Exception
{
    public PinIncorrectException(Pkcs11Exception innerException)
        : base(Pkcs11Errors.Describe(innerException), innerException)
    {
    }
}
