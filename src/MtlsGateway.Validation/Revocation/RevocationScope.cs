namespace MtlsGateway.Validation.Revocation;

public enum RevocationScope
{
    /// <summary>Every certificate of the path below the trust anchor.</summary>
    Chain,

    EndEntity,
}
