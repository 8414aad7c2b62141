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
