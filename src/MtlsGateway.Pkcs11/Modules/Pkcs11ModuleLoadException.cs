namespace MtlsGateway.Pkcs11.Modules;

/// <summary>The PKCS#11 module could not be loaded or is not a PKCS#11 module.</summary>
public sealed class Pkcs11ModuleLoadException : Exception
{
    public Pkcs11ModuleLoadException(string modulePath, string problem, Exception? innerException = null)
        : base($"PKCS#11 module '{modulePath}': {problem}", innerException)
    {
        ModulePath = modulePath;
    }

    public string ModulePath { get; }
}
