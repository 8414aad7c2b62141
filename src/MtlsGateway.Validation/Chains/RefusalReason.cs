namespace MtlsGateway.Validation.Chains;

/// <summary>Why a client certificate was refused. The wire codes are fixed: operators and clients rely on them (<see cref="RefusalReasonCodes"/>).</summary>
public enum RefusalReason
{
    Untrusted,
    Expired,
    NotYetValid,
    WrongUsage,
    Revoked,
    RevocationUnknown,
    Forbidden,
    WeakCrypto,
    CertificateRequired,
}
