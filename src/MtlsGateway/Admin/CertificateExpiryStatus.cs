using MtlsGateway.Telemetry;

namespace MtlsGateway.Admin;

/// <summary><c>/status</c> section with every certificate the gateway depends on and its expiry.</summary>
internal sealed class CertificateExpiryStatus(IEnumerable<ICertificateExpirySource> sources, TimeProvider timeProvider) : IStatusContributor
{
    public string Section => "certificates";

    public object Describe()
    {
        var now = timeProvider.GetUtcNow();
        return sources.SelectMany(source => source.Current())
            .OrderBy(expiry => expiry.NotAfter)
            .Select(expiry => new
            {
                role = expiry.Role,
                subject = expiry.Subject,
                notAfter = expiry.NotAfter,
                secondsUntilExpiry = Math.Floor((expiry.NotAfter - now).TotalSeconds),
            })
            .ToList();
    }
}

/// <summary><c>/status</c> section for the CRLs in use (empty until revocation registers an <see cref="ICrlFreshnessSource"/>).</summary>
internal sealed class CrlStatus(IEnumerable<ICrlFreshnessSource> sources) : IStatusContributor
{
    public string Section => "crls";

    public object Describe() => sources.SelectMany(source => source.Current())
        .Select(crl => new { issuer = crl.Issuer, thisUpdate = crl.ThisUpdate, nextUpdate = crl.NextUpdate, entries = crl.EntryCount })
        .ToList();
}
