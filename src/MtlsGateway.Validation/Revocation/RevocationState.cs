namespace MtlsGateway.Validation.Revocation;

public enum RevocationState
{
    Unknown,
    Good,
    Revoked,
}
