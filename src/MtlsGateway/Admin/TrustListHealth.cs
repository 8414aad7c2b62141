using MtlsGateway.Validation.Trust;

namespace MtlsGateway.Admin;

/// <summary>
/// Ready while the trust list in use matches its files and holds an anchor. A replacement that cannot be loaded keeps
/// the last good list serving, but the instance reports not ready so the rollout or the operator notices.
/// </summary>
internal sealed class TrustListHealth(TrustListProvider trustList, TimeProvider timeProvider) : IReadinessContributor, IStatusContributor
{
    public string Name => "trust_list";

    public string Section => "trustList";

    public ReadinessResult Check()
    {
        if (trustList.LastError is { } error)
        {
            return ReadinessResult.Unusable("the trust files changed and cannot be loaded, the last good trust list serves: " + error);
        }

        var anchors = trustList.Current.Anchors.Count;
        return anchors > 0 ? ReadinessResult.Usable($"{anchors} anchor(s)") : ReadinessResult.Unusable("no trust anchor loaded");
    }

    public object Describe()
    {
        var list = trustList.Current;
        var now = timeProvider.GetUtcNow();
        return new
        {
            loadedAt = list.LoadedAt,
            fingerprint = list.Fingerprint,
            lastError = trustList.LastError,
            anchors = list.Anchors.Select(anchor => new
            {
                subject = anchor.Subject,
                thumbprintSha256 = anchor.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
                notAfter = new DateTimeOffset(anchor.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                secondsUntilExpiry = Math.Floor((anchor.NotAfter.ToUniversalTime() - now.UtcDateTime).TotalSeconds),
            }),
            intermediates = list.Intermediates.Count,
        };
    }
}
