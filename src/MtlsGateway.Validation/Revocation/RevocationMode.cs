namespace MtlsGateway.Validation.Revocation;

public enum RevocationMode
{
    /// <summary>Fail closed: a certificate whose status cannot be established is refused (revocation-unknown).</summary>
    Require,

    /// <summary>Refuse only certificates known to be revoked.</summary>
    BestEffort,

    Off,
}
