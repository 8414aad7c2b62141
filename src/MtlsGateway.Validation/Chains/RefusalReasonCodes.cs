namespace MtlsGateway.Validation.Chains;

/// <summary>The fixed wire codes of <see cref="RefusalReason"/>: in problem+json bodies, logs and metrics.</summary>
public static class RefusalReasonCodes
{
    public static string ToCode(this RefusalReason reason) => reason switch
    {
        RefusalReason.Untrusted => "untrusted",
        RefusalReason.Expired => "expired",
        RefusalReason.NotYetValid => "not-yet-valid",
        RefusalReason.WrongUsage => "wrong-usage",
        RefusalReason.Revoked => "revoked",
        RefusalReason.RevocationUnknown => "revocation-unknown",
        RefusalReason.Forbidden => "forbidden",
        RefusalReason.WeakCrypto => "weak-crypto",
        RefusalReason.CertificateRequired => "certificate-required",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
