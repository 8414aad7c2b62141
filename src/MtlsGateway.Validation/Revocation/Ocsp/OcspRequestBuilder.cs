using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Revocation.Ocsp;

/// <summary>Builds unsigned single-certificate OCSP requests (RFC 6960 4.1), optionally with a nonce (RFC 8954).</summary>
public static class OcspRequestBuilder
{
    public const int NonceLength = 16;

    private static readonly Asn1Tag RequestExtensionsTag = new(TagClass.ContextSpecific, 2, isConstructed: true);

    public static OcspRequest Build(X509Certificate2 certificate, X509Certificate2 issuer, bool withNonce)
    {
        var certId = OcspCertId.ForCertificate(certificate, issuer);
        var nonce = withNonce ? RandomNumberGenerator.GetBytes(NonceLength) : null;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        certId.WriteTo(writer);
                    }
                }

                if (nonce is not null)
                {
                    using (writer.PushSequence(RequestExtensionsTag))
                    using (writer.PushSequence())
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(OcspOids.Nonce);
                        using (writer.PushOctetString())
                        {
                            writer.WriteOctetString(nonce);
                        }
                    }
                }
            }
        }

        return new OcspRequest(certId, writer.Encode(), nonce);
    }
}
