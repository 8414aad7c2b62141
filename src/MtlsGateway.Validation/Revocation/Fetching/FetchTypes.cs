namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>What is being fetched; decides the size cap and labels the metrics.</summary>
public enum RevocationFetchKind
{
    Crl,
    Ocsp,
}

public enum FetchOutcome
{
    Success,
    UnsupportedScheme,
    Timeout,
    NetworkError,
    HttpError,
    TooLarge,
}

/// <summary>The answer of one fetch: the body on success, otherwise a detail fit for logs (no stack trace).</summary>
public sealed record FetchResult(FetchOutcome Outcome, byte[]? Body, string Detail)
{
    public bool Succeeded => Outcome == FetchOutcome.Success && Body is not null;

    public static FetchResult Failure(FetchOutcome outcome, string detail) => new(outcome, null, detail);
}

/// <summary>
/// Raised once per network fetch (not for answers served from a cache or shared with a concurrent caller),
/// so the host can count fetches and record their durations.
/// </summary>
public sealed record FetchCompleted(Uri Url, RevocationFetchKind Kind, TimeSpan Duration, FetchOutcome Outcome);

public sealed class RevocationFetcherOptions
{
    /// <summary>Bounds the whole fetch: connect, send, headers and body. Gateway:ClientCertificates:Revocation:FetchTimeout.</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a failed fetch is remembered, so a dead responder is not asked again by every request.</summary>
    public TimeSpan FailureMemory { get; init; } = TimeSpan.FromSeconds(5);

    public long MaxCrlBytes { get; init; } = 10 * 1024 * 1024;

    public long MaxOcspBytes { get; init; } = 64 * 1024;
}
