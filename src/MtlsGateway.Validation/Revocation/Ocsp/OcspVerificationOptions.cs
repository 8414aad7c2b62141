using MtlsGateway.Validation.Crypto;

namespace MtlsGateway.Validation.Revocation.Ocsp;

public sealed class OcspVerificationOptions
{
    /// <summary>Tolerated clock difference to the responder for thisUpdate and nextUpdate.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>An answer without nextUpdate is used for this long after its thisUpdate (RFC 6960: newer information is always available).</summary>
    public TimeSpan ValidityWithoutNextUpdate { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest an answer is relied on, whatever its nextUpdate says.</summary>
    public TimeSpan MaxCacheAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>An answer (or delegated responder certificate) signed below these is not relied on: the status stays unknown.</summary>
    public CryptoMinimums Minimums { get; init; } = CryptoMinimums.Default;
}
