namespace MtlsGateway.Telemetry;

/// <summary>
/// Extension point: something that holds certificates whose expiry operators must see (the gauge
/// <c>mtlsgateway.certificate.time_until_expiry</c> and <c>/status</c>). Register implementations as singletons.
/// </summary>
public interface ICertificateExpirySource
{
    /// <summary>Called on every metric collection and status request: keep it cheap (no file or token I/O).</summary>
    IEnumerable<CertificateExpiry> Current();
}
