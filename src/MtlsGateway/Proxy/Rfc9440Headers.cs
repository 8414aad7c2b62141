using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Proxy;

/// <summary>RFC 9440: a certificate as a Structured Field byte sequence, <c>:base64(DER):</c>.</summary>
public static class Rfc9440Headers
{
    public static string ByteSequence(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return ":" + Convert.ToBase64String(certificate.RawData) + ":";
    }
}
