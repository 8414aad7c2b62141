namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>
/// Raised once per network fetch (not for answers served from a cache or shared with a concurrent caller),
/// so the host can count fetches and record their durations.
/// </summary>
public sealed record FetchCompleted(Uri Url, RevocationFetchKind Kind, TimeSpan Duration, FetchOutcome Outcome);
