namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>The CRL for a URL (possibly stale, when a refresh failed) and what went wrong, if anything.</summary>
public readonly record struct CrlDownload<TCrl>(CachedCrl<TCrl>? Cached, string? Problem)
    where TCrl : class;
