namespace MtlsGateway.Pkcs11.Interop;

/// <summary>
/// A PKCS#11 function returned an error. The message names the function and the return value
/// ("C_OpenSession: CKR_TOKEN_NOT_PRESENT (0xE0)"); it never contains a PIN or key material.
/// </summary>
public class Pkcs11Exception : Exception
{
    public Pkcs11Exception(string function, ulong returnValue)
        : base($"{function}: {Ckr.Describe(returnValue)}")
    {
        Function = function;
        ReturnValue = returnValue;
    }

    public string Function { get; }

    public ulong ReturnValue { get; }

    public bool TokenGone => Ckr.MeansTokenGone(ReturnValue);
}

/// <summary>
/// C_Login refused the PIN (CKR_PIN_INCORRECT). Its own type because the caller must never retry on its own:
/// a card locks after a few wrong PINs.
/// </summary>
public sealed class Pkcs11PinIncorrectException : Pkcs11Exception
{
    public Pkcs11PinIncorrectException()
        : base("C_Login", Ckr.PinIncorrect)
    {
    }
}

/// <summary>The PKCS#11 module could not be loaded or does not export C_GetFunctionList.</summary>
public sealed class Pkcs11ModuleLoadException : Exception
{
    public Pkcs11ModuleLoadException(string modulePath, string problem, Exception? innerException = null)
        : base($"PKCS#11 module '{modulePath}': {problem}", innerException)
    {
        ModulePath = modulePath;
    }

    public string ModulePath { get; }
}
