namespace MtlsGateway.Validation.Revocation.Ocsp;

public enum OcspCertStatus
{
    Good,
    Revoked,
    Unknown,
}
