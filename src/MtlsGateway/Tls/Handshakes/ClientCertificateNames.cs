using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// The subject and issuer of a certificate a client sent, read straight from its DER (TBSCertificate's issuer and
/// subject), so a certificate the platform refuses to load still gets named when its names are readable.
/// </summary>
internal static class ClientCertificateNames
{
    public static (string Subject, string Issuer)? Read(ReadOnlyMemory<byte>? der)
    {
        if (der is not { } encoded)
        {
            return null;
        }

        try
        {
            var certificate = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
            var tbs = certificate.ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                tbs.ReadEncodedValue();
            }

            tbs.ReadEncodedValue(); // serialNumber
            tbs.ReadEncodedValue(); // signature
            var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span).Name;
            tbs.ReadEncodedValue(); // validity
            var subject = new X500DistinguishedName(tbs.ReadEncodedValue().Span).Name;
            return (subject, issuer);
        }
        catch (Exception e) when (e is AsnContentException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
