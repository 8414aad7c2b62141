namespace MtlsGateway.Validation.Revocation.Ocsp;

public sealed record OcspSingleResponse(
    OcspCertId CertId,
    OcspCertStatus Status,
    DateTimeOffset ThisUpdate,
    DateTimeOffset? NextUpdate,
    DateTimeOffset? RevocationTime,
    int? RevocationReason,
    bool HasUnknownCriticalExtension);
