using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;

namespace MtlsGateway.Validation.Trust;

/// <summary>An immutable snapshot of the trust anchors and the configured intermediates.</summary>
public sealed class TrustList
{
    private TrustList(X509Certificate2Collection anchors, X509Certificate2Collection intermediates, string fingerprint, DateTimeOffset loadedAt)
    {
        Anchors = anchors;
        Intermediates = intermediates;
        Fingerprint = fingerprint;
        LoadedAt = loadedAt;
    }

    public X509Certificate2Collection Anchors { get; }

    public X509Certificate2Collection Intermediates { get; }

    public string Fingerprint { get; }

    public DateTimeOffset LoadedAt { get; }

    /// <summary>
    /// Loads and checks the configured sources. Every anchor and intermediate must be a CA certificate
    /// (basicConstraints cA=true): a leaf configured as a trust anchor is a mistake worth stopping for.
    /// </summary>
    /// <exception cref="CertificateSourceException">A source is missing, unreadable, or holds a certificate that is not a CA.</exception>
    public static TrustList Load(IReadOnlyList<string> anchorEntries, IReadOnlyList<string> intermediateEntries, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(anchorEntries);
        ArgumentNullException.ThrowIfNull(intermediateEntries);
        var fingerprint = FileSetWatcher.Fingerprint([.. anchorEntries, .. intermediateEntries]);
        var anchors = ReadCaCertificates(anchorEntries);
        if (anchors.Count == 0)
        {
            throw new CertificateSourceException(string.Join(", ", anchorEntries), "no trust anchor found");
        }

        return new TrustList(anchors, ReadCaCertificates(intermediateEntries), fingerprint, now);
    }

    private static X509Certificate2Collection ReadCaCertificates(IReadOnlyList<string> entries)
    {
        var collection = new X509Certificate2Collection();
        foreach (var file in CertificateFiles.Expand(entries))
        {
            foreach (var certificate in CertificateFiles.Read(file))
            {
                if (!IsCertificateAuthority(certificate))
                {
                    throw new CertificateSourceException(file, $"'{certificate.Subject}' is not a CA certificate (basicConstraints cA is not true)");
                }

                collection.Add(certificate);
            }
        }

        return collection;
    }

    private static bool IsCertificateAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true };
}
