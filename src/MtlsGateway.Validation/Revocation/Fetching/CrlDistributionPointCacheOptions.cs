namespace MtlsGateway.Validation.Revocation.Fetching;

public sealed class CrlDistributionPointCacheOptions
{
    /// <summary>Where downloaded CRLs are kept across restarts; null keeps them in memory only.</summary>
    public string? CacheFolder { get; init; }

    /// <summary>How long before nextUpdate the background refresh starts.</summary>
    public TimeSpan RefreshAhead { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The least time between two downloads of one URL, and the retry delay after a failed refresh.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(30);
}
