using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Crypto;
using MtlsGateway.Validation.Signatures;

namespace MtlsGateway.Validation.Trust;

/// <summary>An immutable snapshot of the trust anchors and the configured intermediates.</summary>
public sealed class TrustList
{
    private TrustList(X509Certificate2Collection anchors, X509Certificate2Collection intermediates, string fingerprint, DateTimeOffset loadedAt, IReadOnlyList<string> warnings)
    {
        Anchors = anchors;
        Intermediates = intermediates;
        Fingerprint = fingerprint;
        LoadedAt = loadedAt;
        Warnings = warnings;
    }

    public X509Certificate2Collection Anchors { get; }

    public X509Certificate2Collection Intermediates { get; }

    public string Fingerprint { get; }

    public DateTimeOffset LoadedAt { get; }

    /// <summary>What an operator should know about the anchors accepted (legacy roots without basicConstraints), to log at load.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Loads and checks the configured sources. Every intermediate must be a CA certificate (basicConstraints cA=true).
    /// A trust anchor is, as RFC 5280 6.1.1 has it, a name and a key: a CA certificate, or a self-signed certificate
    /// without basicConstraints (version 1 and other legacy roots, accepted with a warning). A certificate that says
    /// cA=false, or one without basicConstraints that is not self-signed, is a leaf configured by mistake: worth stopping for.
    /// </summary>
    /// <exception cref="CertificateSourceException">A source is missing, unreadable, or holds a certificate that cannot be a CA.</exception>
    public static TrustList Load(IReadOnlyList<string> anchorEntries, IReadOnlyList<string> intermediateEntries, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(anchorEntries);
        ArgumentNullException.ThrowIfNull(intermediateEntries);
        var fingerprint = FileSetWatcher.Fingerprint([.. anchorEntries, .. intermediateEntries]);
        var warnings = new List<string>();
        var anchors = ReadCaCertificates(anchorEntries, warnings);
        if (anchors.Count == 0)
        {
            throw new CertificateSourceException(string.Join(", ", anchorEntries), "no trust anchor found");
        }

        return new TrustList(anchors, ReadCaCertificates(intermediateEntries, null), fingerprint, now, warnings);
    }

    /// <param name="anchorWarnings">For trust anchors: where to say that a legacy root was accepted; null for intermediates.</param>
    private static X509Certificate2Collection ReadCaCertificates(IReadOnlyList<string> entries, List<string>? anchorWarnings)
    {
        var collection = new X509Certificate2Collection();
        foreach (var file in CertificateFiles.Expand(entries))
        {
            foreach (var certificate in CertificateFiles.Read(file))
            {
                // Telemetry, /status and every path read an anchor's fields: one the platform cannot read is no anchor.
                if (CertificateFields.Unreadable(certificate) is { } unreadable)
                {
                    throw new CertificateSourceException(file, "a certificate cannot be read: " + unreadable);
                }

                var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
                if (constraints is { CertificateAuthority: false })
                {
                    throw new CertificateSourceException(file, $"'{certificate.Subject}' is not a CA certificate (basicConstraints cA is false)");
                }

                if (constraints is null && (anchorWarnings is null || !IsSelfSigned(certificate)))
                {
                    throw new CertificateSourceException(
                        file,
                        anchorWarnings is null
                            ? $"'{certificate.Subject}' is not a CA certificate (no basicConstraints extension)"
                            : $"'{certificate.Subject}' is not a CA certificate (no basicConstraints extension, and not self-signed)");
                }

                if (constraints is null)
                {
                    anchorWarnings!.Add($"trust anchor '{certificate.Subject}' (version {certificate.Version}) in {file} has no basicConstraints extension; it is trusted as a self-signed root, as RFC 5280 allows for legacy roots");
                }

                collection.Add(certificate);
            }
        }

        return collection;
    }

    private static bool IsSelfSigned(X509Certificate2 certificate)
    {
        if (!DistinguishedNames.Match(certificate.SubjectName.RawData, certificate.IssuerName.RawData))
        {
            return false;
        }

        try
        {
            var signed = SignedObject.Parse(certificate.RawDataMemory);
            return SignatureVerification.Verify(signed.ToBeSigned.Span, signed.Algorithm, signed.Signature.Span, certificate, [], CryptoMinimums.NotApplied) is null;
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return false;
        }
    }
}
