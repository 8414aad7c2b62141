namespace MtlsGateway.Validation.Revocation.Ocsp;

public sealed class OcspFormatException : Exception
{
    public OcspFormatException()
    {
    }

    public OcspFormatException(string message)
        : base(message)
    {
    }

    public OcspFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
