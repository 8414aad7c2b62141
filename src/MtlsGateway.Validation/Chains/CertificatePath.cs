using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Chains;

/// <summary>
/// A built certification path: the end-entity certificate first, the trust anchor last.
/// Checks receive it after the chain has been built against the trust list.
/// </summary>
public sealed class CertificatePath
{
    public CertificatePath(IReadOnlyList<X509Certificate2> certificates, IReadOnlyCollection<X509Certificate2>? otherCertificates = null)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        if (certificates.Count == 0)
        {
            throw new ArgumentException("A path holds at least one certificate.", nameof(certificates));
        }

        Certificates = certificates;
        OtherCertificates = otherCertificates ?? [];
    }

    /// <summary>
    /// Certificates known besides the path (presented by the client, configured intermediates, trust anchors),
    /// where a separate CRL-signing or OCSP-responder certificate may be found.
    /// </summary>
    public IReadOnlyCollection<X509Certificate2> OtherCertificates { get; }

    public IReadOnlyList<X509Certificate2> Certificates { get; }

    public X509Certificate2 EndEntity => Certificates[0];

    public X509Certificate2 TrustAnchor => Certificates[^1];

    /// <summary>The issuer of the certificate at <paramref name="index"/>: the next one up the path.</summary>
    public X509Certificate2 IssuerOf(int index) => Certificates[Math.Min(index + 1, Certificates.Count - 1)];
}
