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

/// <summary>When one CRL the gateway uses must be replaced.</summary>
public sealed record CrlFreshness(string Issuer, DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate, int EntryCount);

/// <summary>
/// Extension point for revocation (issue 3): the CRLs in use, for <c>mtlsgateway.revocation.crl.time_until_next_update</c>
/// and <c>/status</c>. Register the implementation as a singleton.
/// </summary>
public interface ICrlFreshnessSource
{
    IEnumerable<CrlFreshness> Current();
}
