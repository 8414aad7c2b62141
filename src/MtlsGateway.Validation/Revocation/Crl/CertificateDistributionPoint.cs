using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// One DistributionPoint of a certificate's cRLDistributionPoints extension (RFC 5280 4.2.1.13): where its CRL is
/// published (<see cref="Name"/>), for which reasons, and which CRL issuer signs it when that is not the certificate's
/// issuer (an indirect CRL). A certificate without the extension has one implicit point: the issuer's CRL, all reasons.
/// </summary>
internal sealed class CertificateDistributionPoint
{
    public const string ExtensionOid = Oids.CrlDistributionPoints;

    private static readonly Asn1Tag NameTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag ReasonsTag = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag CrlIssuerTag = new(TagClass.ContextSpecific, 2, isConstructed: true);

    /// <summary>The implicit point of a certificate without the extension: its issuer's CRL, for all reasons.</summary>
    private static readonly IReadOnlyList<CertificateDistributionPoint> IssuersCrl = [new CertificateDistributionPoint(null, CrlReasons.All, [])];

    private CertificateDistributionPoint(DistributionPointName? name, CrlReasons reasons, IReadOnlyList<GeneralName> crlIssuer)
    {
        Name = name;
        Reasons = reasons;
        CrlIssuer = crlIssuer;
    }

    public DistributionPointName? Name { get; }

    public CrlReasons Reasons { get; }

    /// <summary>The cRLIssuer field; empty when the certificate's issuer signs the CRL.</summary>
    public IReadOnlyList<GeneralName> CrlIssuer { get; }

    /// <summary>The distribution points of <paramref name="certificate"/>, or the implicit one when it names none.</summary>
    /// <exception cref="AsnContentException">The extension is malformed.</exception>
    public static IReadOnlyList<CertificateDistributionPoint> Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[ExtensionOid];
        if (extension is null)
        {
            return IssuersCrl;
        }

        var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var points = new List<CertificateDistributionPoint>();
        while (sequence.HasData)
        {
            var point = sequence.ReadSequence();
            DistributionPointName? name = null;
            var reasons = CrlReasons.All;
            IReadOnlyList<GeneralName> crlIssuer = [];
            if (point.HasData && point.PeekTag().HasSameClassAndValue(NameTag))
            {
                name = DistributionPointName.Read(point.ReadSequence(NameTag));
            }

            if (point.HasData && point.PeekTag().HasSameClassAndValue(ReasonsTag))
            {
                reasons = CrlReasons.Read(point, ReasonsTag);
            }

            if (point.HasData && point.PeekTag().HasSameClassAndValue(CrlIssuerTag))
            {
                crlIssuer = GeneralName.ReadAll(point.ReadSequence(CrlIssuerTag));
            }

            point.ThrowIfNotEmpty();
            points.Add(new CertificateDistributionPoint(name, reasons, crlIssuer));
        }

        if (points.Count == 0)
        {
            throw new AsnContentException("an empty cRLDistributionPoints extension");
        }

        return points;
    }

    /// <summary>Who may issue the CRL for this point: the cRLIssuer's directory names, or else the certificate's issuer.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> CrlIssuerNames(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return CrlIssuer.Count == 0
            ? [certificate.IssuerName.RawData]
            : [.. CrlIssuer.Where(name => name.IsDirectoryName).Select(name => name.DirectoryName)];
    }

    public string Describe(X509Certificate2 certificate)
    {
        var names = Name?.Resolve(CrlIssuerNames(certificate)) ?? [];
        var where = names.Count == 0 ? "the CRL of " + string.Join(" or ", CrlIssuerNames(certificate).Select(Display)) : string.Join(" or ", names);
        return Reasons.IsAll ? where : $"{where} (for {Reasons})";
    }

    private static string Display(ReadOnlyMemory<byte> name)
    {
        try
        {
            return "'" + new X500DistinguishedName(name.Span).Name + "'";
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return "(an unreadable name)";
        }
    }
}
