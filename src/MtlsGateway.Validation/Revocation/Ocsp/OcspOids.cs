namespace MtlsGateway.Validation.Revocation.Ocsp;

internal static class OcspOids
{
    public const string Sha1 = "1.3.14.3.2.26";
    public const string BasicResponse = "1.3.6.1.5.5.7.48.1.1";
    public const string Nonce = "1.3.6.1.5.5.7.48.1.2";
    public const string OcspSigning = "1.3.6.1.5.5.7.3.9";
    public const string AccessMethodOcsp = "1.3.6.1.5.5.7.48.1";
}
