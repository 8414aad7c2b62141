using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;

namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>
/// Reads the CRL distribution points extension (RFC 5280 4.2.1.13), and the freshestCRL extension that has the same
/// syntax (RFC 5280 4.2.1.15 and 5.2.6: where delta CRLs are published). Only fullName URIs can be fetched; a name
/// relative to the CRL issuer, a directory name or a non-http URI is reported as unsupported.
/// </summary>
public static class CrlDistributionPoints
{
    public const string ExtensionOid = Oids.CrlDistributionPoints;

    public const string FreshestCrlOid = Oids.FreshestCrl;

    private static readonly Asn1Tag DistributionPointTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag FullNameTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag RelativeNameTag = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <exception cref="AsnContentException">The extension is malformed.</exception>
    public static RevocationEndpoints Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[ExtensionOid];
        return extension is null ? RevocationEndpoints.None : Parse(extension.RawData);
    }

    /// <summary>Where the delta CRLs for this certificate are published (its freshestCRL extension).</summary>
    /// <exception cref="AsnContentException">The extension is malformed.</exception>
    public static RevocationEndpoints ReadFreshest(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[FreshestCrlOid];
        return extension is null ? RevocationEndpoints.None : Parse(extension.RawData);
    }

    /// <exception cref="AsnContentException">The extension is malformed.</exception>
    public static RevocationEndpoints Parse(ReadOnlyMemory<byte> extensionValue)
    {
        var supported = new List<Uri>();
        var unsupported = new List<string>();
        var reader = new AsnReader(extensionValue, AsnEncodingRules.DER);
        var points = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        while (points.HasData)
        {
            var point = points.ReadSequence();
            if (!point.HasData || !point.PeekTag().HasSameClassAndValue(DistributionPointTag))
            {
                unsupported.Add("distribution point without a name (CRL issuer only)");
                continue;
            }

            var name = point.ReadSequence(DistributionPointTag);
            var tag = name.PeekTag();
            if (tag.HasSameClassAndValue(RelativeNameTag))
            {
                unsupported.Add("name relative to the CRL issuer");
                continue;
            }

            var generalNames = name.ReadSequence(FullNameTag);
            while (generalNames.HasData)
            {
                ReadGeneralName(generalNames, supported, unsupported);
            }
        }

        return new RevocationEndpoints(supported, unsupported);
    }

    private static void ReadGeneralName(AsnReader generalNames, List<Uri> supported, List<string> unsupported)
    {
        var tag = generalNames.PeekTag();
        if (!tag.HasSameClassAndValue(UriTag))
        {
            generalNames.ReadEncodedValue();
            unsupported.Add($"general name [{tag.TagValue}] (not a URI)");
            return;
        }

        var text = generalNames.ReadCharacterString(UniversalTagNumber.IA5String, UriTag);
        if (RevocationUrl.TryParse(text, out var url))
        {
            supported.Add(url);
        }
        else
        {
            unsupported.Add(text);
        }
    }
}
