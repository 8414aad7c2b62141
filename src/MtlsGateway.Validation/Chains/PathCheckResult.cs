namespace MtlsGateway.Validation.Chains;

/// <summary>
/// The outcome of one check. <see cref="ValidUntil"/> bounds how long a passing result may be reused
/// (for example a CRL's nextUpdate), so a cached verdict never outlives the data it was based on.
/// </summary>
public readonly record struct PathCheckResult(RefusalReason? Refusal, string Detail, DateTimeOffset ValidUntil)
{
    public bool Passed => Refusal is null;

    public static PathCheckResult Pass(DateTimeOffset validUntil) => new(null, string.Empty, validUntil);

    public static PathCheckResult Pass() => new(null, string.Empty, DateTimeOffset.MaxValue);

    public static PathCheckResult Refuse(RefusalReason reason, string detail) => new(reason, detail, DateTimeOffset.MinValue);
}
