using MtlsGateway.Outbound;

namespace MtlsGateway.Telemetry;

/// <summary>The expiry of each outbound identity's certificate, from the state the identities already hold (no token I/O).</summary>
internal sealed class OutboundIdentityExpiries(IOutboundIdentityReadiness identities) : ICertificateExpirySource
{
    public IEnumerable<CertificateExpiry> Current() =>
        identities.Statuses
            .Where(status => status.NotAfter is not null)
            .Select(status => new CertificateExpiry(CertificateRoles.OutboundIdentity, status.Subject ?? status.Name, status.NotAfter!.Value));
}
