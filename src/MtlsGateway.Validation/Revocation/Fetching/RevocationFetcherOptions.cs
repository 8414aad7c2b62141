namespace MtlsGateway.Validation.Revocation.Fetching;

public sealed class RevocationFetcherOptions
{
    /// <summary>Bounds the whole fetch: connect, send, headers and body. Gateway:ClientCertificates:Revocation:FetchTimeout.</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a failed fetch is remembered, so a dead responder is not asked again by every request.</summary>
    public TimeSpan FailureMemory { get; init; } = TimeSpan.FromSeconds(5);

    public long MaxCrlBytes { get; init; } = 10 * 1024 * 1024;

    public long MaxOcspBytes { get; init; } = 64 * 1024;
}
