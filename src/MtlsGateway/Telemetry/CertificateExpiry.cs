namespace MtlsGateway.Telemetry;

/// <summary>When one certificate the gateway depends on expires.</summary>
/// <param name="Role"><see cref="CertificateRoles"/>: what the certificate is for the gateway.</param>
public sealed record CertificateExpiry(string Role, string Subject, DateTimeOffset NotAfter);

public static class CertificateRoles
{
    public const string Server = "server";
    public const string TrustAnchor = "trust_anchor";

    /// <summary>Reported by the outbound identities (issue 4) through their own <see cref="ICertificateExpirySource"/>.</summary>
    public const string OutboundIdentity = "outbound_identity";
}

/// <summary>
/// Extension point: something that holds certificates whose expiry operators must see (the gauge
/// <c>mtlsgateway.certificate.time_until_expiry</c> and <c>/status</c>). Register implementations as singletons.
/// </summary>
public interface ICertificateExpirySource
{
    /// <summary>Called on every metric collection and status request: keep it cheap (no file or token I/O).</summary>
    IEnumerable<CertificateExpiry> Current();
}
