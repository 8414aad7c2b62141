namespace MtlsGateway.Validation.Chains;

/// <summary>Why a client certificate was refused. The wire codes are fixed: operators and clients rely on them.</summary>
public enum RefusalReason
{
    Untrusted,
    Expired,
    NotYetValid,
    WrongUsage,
    Revoked,
    RevocationUnknown,
    Forbidden,
}

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
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
