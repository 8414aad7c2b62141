namespace MtlsGateway.Telemetry;

/// <summary>The <c>role</c> label of <c>mtlsgateway.certificate.time_until_expiry</c>.</summary>
public static class CertificateRoles
{
    public const string Server = "server";
    public const string TrustAnchor = "trust_anchor";

    /// <summary>Reported by the outbound identities through their own <see cref="ICertificateExpirySource"/>.</summary>
    public const string OutboundIdentity = "outbound_identity";
}
