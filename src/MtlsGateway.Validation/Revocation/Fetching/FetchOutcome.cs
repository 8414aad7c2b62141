namespace MtlsGateway.Validation.Revocation.Fetching;

public enum FetchOutcome
{
    Success,
    UnsupportedScheme,
    Timeout,
    NetworkError,
    HttpError,
    TooLarge,
}
