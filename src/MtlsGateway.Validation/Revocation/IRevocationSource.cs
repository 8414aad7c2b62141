using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Validation.Revocation;

/// <summary>
/// One way of learning whether a certificate of a path is revoked: local CRL files, CRLs fetched from distribution
/// points, or OCSP. A source that cannot tell says <see cref="RevocationState.Unknown"/>; it never guesses Good.
/// </summary>
public interface IRevocationSource
{
    /// <summary>Stable name used in logs and metrics: "crl-file", "crl-fetch", "ocsp".</summary>
    string Name { get; }

    /// <param name="path">The built path; the certificate asked about is <c>path.Certificates[index]</c>, its issuer <c>path.IssuerOf(index)</c>.</param>
    ValueTask<RevocationStatus> GetStatusAsync(CertificatePath path, int index, DateTimeOffset validationTime, CancellationToken cancellationToken);
}
