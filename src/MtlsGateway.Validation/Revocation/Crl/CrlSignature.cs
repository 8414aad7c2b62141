using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// Who signed a CRL, once that is established (RFC 5280 6.3.3 f and g): the signer's certificate and its issuers
/// (nearest first), and until when that holds. Otherwise why no acceptable signer was found; when the signer was found
/// but is itself revoked, <see cref="RevokedSigner"/> says so.
/// </summary>
internal readonly record struct CrlSignature(
    X509Certificate2? Signer,
    IReadOnlyList<X509Certificate2> Ancestors,
    DateTimeOffset ValidUntil,
    string? Problem,
    RevocationStatus? RevokedSigner)
{
    public static CrlSignature By(X509Certificate2 signer, IReadOnlyList<X509Certificate2> ancestors, DateTimeOffset validUntil) =>
        new(signer, ancestors, validUntil, null, null);

    public static CrlSignature Failed(string problem, RevocationStatus? revokedSigner = null) =>
        new(null, [], DateTimeOffset.MinValue, problem, revokedSigner);
}
