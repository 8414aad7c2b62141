namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>What is being fetched; decides the size cap and labels the metrics.</summary>
public enum RevocationFetchKind
{
    Crl,
    Ocsp,
}
