using MtlsGateway.Validation.Trust;

namespace MtlsGateway.Telemetry;

/// <summary>The expiry of every trust anchor in the trust list currently in use.</summary>
internal sealed class TrustAnchorExpiries(TrustListProvider trustList) : ICertificateExpirySource
{
    public IEnumerable<CertificateExpiry> Current() =>
        trustList.Current.Anchors.Select(anchor => new CertificateExpiry(CertificateRoles.TrustAnchor, anchor.Subject, new DateTimeOffset(anchor.NotAfter.ToUniversalTime(), TimeSpan.Zero)));
}
