namespace MtlsGateway.Pkcs11.Engine;

/// <summary>The OpenSSL pkcs11 engine is unavailable or could not load a key. The message never contains the PIN.</summary>
public sealed class EngineKeyException : Exception
{
    public EngineKeyException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
