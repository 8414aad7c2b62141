using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Revocation.Fetching;

namespace MtlsGateway.Validation.Revocation.Ocsp;

/// <summary>Reads the OCSP responder URLs (id-ad-ocsp) of the Authority Information Access extension (RFC 5280 4.2.2.1).</summary>
public static class OcspEndpoints
{
    public const string AuthorityInformationAccessOid = Oids.AuthorityInformationAccess;

    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <exception cref="AsnContentException">The extension is malformed.</exception>
    public static RevocationEndpoints Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[AuthorityInformationAccessOid];
        return extension is null ? RevocationEndpoints.None : Parse(extension.RawData);
    }

    /// <exception cref="AsnContentException">The extension is malformed.</exception>
    public static RevocationEndpoints Parse(ReadOnlyMemory<byte> extensionValue)
    {
        var supported = new List<Uri>();
        var unsupported = new List<string>();
        var reader = new AsnReader(extensionValue, AsnEncodingRules.DER);
        var descriptions = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        while (descriptions.HasData)
        {
            var description = descriptions.ReadSequence();
            var method = description.ReadObjectIdentifier();
            if (method != OcspOids.AccessMethodOcsp)
            {
                continue;
            }

            var tag = description.PeekTag();
            if (!tag.HasSameClassAndValue(UriTag))
            {
                unsupported.Add($"OCSP location as general name [{tag.TagValue}] (not a URI)");
                continue;
            }

            var text = description.ReadCharacterString(UniversalTagNumber.IA5String, UriTag);
            if (RevocationUrl.TryParse(text, out var url))
            {
                supported.Add(url);
            }
            else
            {
                unsupported.Add(text);
            }
        }

        return new RevocationEndpoints(supported, unsupported);
    }
}
