namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// What one complete CRL (with its delta CRL, if one applies) says about one certificate: listed (with its entry),
/// not listed, or why it cannot be used.
/// </summary>
internal readonly record struct CrlAnswer(CrlEntry? Entry, CertificateRevocationList? Delta, DateTimeOffset ValidUntil, string? Problem, RevocationStatus? RevokedSigner)
{
    public static CrlAnswer Listed(CrlEntry entry, CertificateRevocationList? delta, DateTimeOffset validUntil) => new(entry, delta, validUntil, null, null);

    public static CrlAnswer NotListed(CertificateRevocationList? delta, DateTimeOffset validUntil) => new(null, delta, validUntil, null, null);

    public static CrlAnswer Unusable(string problem, RevocationStatus? revokedSigner = null) => new(null, null, default, problem, revokedSigner);
}
