namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>The answer of one fetch: the body on success, otherwise a detail fit for logs (no stack trace).</summary>
public sealed record FetchResult(FetchOutcome Outcome, byte[]? Body, string Detail)
{
    public bool Succeeded => Outcome == FetchOutcome.Success && Body is not null;

    public static FetchResult Failure(FetchOutcome outcome, string detail) => new(outcome, null, detail);
}
