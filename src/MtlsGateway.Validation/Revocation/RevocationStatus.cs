namespace MtlsGateway.Validation.Revocation;

/// <summary>
/// What one source knows about one certificate. <see cref="ValidUntil"/> is when that knowledge goes stale
/// (a CRL's nextUpdate, an OCSP answer's nextUpdate); a Good answer must not be trusted past it.
/// </summary>
public readonly record struct RevocationStatus(
    RevocationState State,
    string Source,
    string Detail,
    DateTimeOffset ValidUntil,
    string? RevocationReason = null,
    DateTimeOffset? RevokedAt = null)
{
    public static RevocationStatus Unknown(string source, string detail) => new(RevocationState.Unknown, source, detail, DateTimeOffset.MinValue);
}
