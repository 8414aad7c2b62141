namespace MtlsGateway.Validation.Revocation.Ocsp;

/// <summary>Cache figures for the status page.</summary>
public readonly record struct OcspCacheCounts(int Entries, long Hits, long Misses);
