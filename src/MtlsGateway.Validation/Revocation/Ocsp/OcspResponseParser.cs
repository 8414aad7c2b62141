using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Revocation.Ocsp;

/// <summary>Parses DER OCSPResponse / BasicOCSPResponse (RFC 6960 4.2.1). Structure only: no signature check here.</summary>
public static class OcspResponseParser
{
    private static readonly Asn1Tag Explicit0 = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Explicit1 = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag Explicit2 = new(TagClass.ContextSpecific, 2, isConstructed: true);
    private static readonly Asn1Tag GoodTag = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag RevokedTag = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag UnknownTag = new(TagClass.ContextSpecific, 2);

    /// <exception cref="OcspFormatException">The bytes are not a well-formed OCSP response.</exception>
    public static OcspResponse Parse(ReadOnlyMemory<byte> der)
    {
        try
        {
            return ParseCore(der);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException or OverflowException)
        {
            throw new OcspFormatException("malformed OCSP response: " + e.Message, e);
        }
    }

    private static OcspResponse ParseCore(ReadOnlyMemory<byte> der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var response = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var status = (OcspResponseStatus)ReadSmallEnumerated(response);
        if (status != OcspResponseStatus.Successful)
        {
            return new OcspResponse { Status = status };
        }

        var responseBytes = response.ReadSequence(Explicit0).ReadSequence();
        var responseType = responseBytes.ReadObjectIdentifier();
        if (responseType != OcspOids.BasicResponse)
        {
            throw new OcspFormatException($"unsupported OCSP response type {responseType}");
        }

        var basic = new AsnReader(responseBytes.ReadOctetString(), AsnEncodingRules.DER);
        var basicSequence = basic.ReadSequence();
        basic.ThrowIfNotEmpty();

        var signedData = basicSequence.ReadEncodedValue().ToArray();
        var signatureAlgorithm = Signatures.SignatureAlgorithm.Parse(basicSequence.ReadEncodedValue());
        var signature = basicSequence.ReadBitString(out var unusedBits);
        if (unusedBits != 0)
        {
            throw new OcspFormatException("OCSP signature is not a whole number of bytes");
        }

        var certificates = new List<X509Certificate2>();
        if (basicSequence.HasData)
        {
            var certs = basicSequence.ReadSequence(Explicit0).ReadSequence();
            while (certs.HasData)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(certs.ReadEncodedValue().Span));
            }
        }

        basicSequence.ThrowIfNotEmpty();
        return ReadResponseData(signedData, signatureAlgorithm, signature, certificates);
    }

    private static OcspResponse ReadResponseData(byte[] signedData, Signatures.SignatureAlgorithm signatureAlgorithm, byte[] signature, List<X509Certificate2> certificates)
    {
        var reader = new AsnReader(signedData, AsnEncodingRules.DER);
        var data = reader.ReadSequence();
        if (data.PeekTag().HasSameClassAndValue(Explicit0))
        {
            var version = data.ReadSequence(Explicit0);
            if (!version.TryReadInt32(out var v) || v != 0)
            {
                throw new OcspFormatException("unsupported ResponseData version");
            }
        }

        byte[]? responderName = null;
        byte[]? responderKeyHash = null;
        var responderTag = data.PeekTag();
        if (responderTag.HasSameClassAndValue(Explicit1))
        {
            responderName = data.ReadSequence(Explicit1).ReadEncodedValue().ToArray();
        }
        else if (responderTag.HasSameClassAndValue(Explicit2))
        {
            responderKeyHash = data.ReadSequence(Explicit2).ReadOctetString();
        }
        else
        {
            throw new OcspFormatException("unknown ResponderID");
        }

        var producedAt = data.ReadGeneralizedTime();
        var responses = new List<OcspSingleResponse>();
        var list = data.ReadSequence();
        while (list.HasData)
        {
            responses.Add(ReadSingleResponse(list.ReadSequence()));
        }

        var (nonce, unknownCritical) = data.HasData ? ReadExtensions(data.ReadSequence(Explicit1)) : (null, false);
        data.ThrowIfNotEmpty();
        return new OcspResponse
        {
            Status = OcspResponseStatus.Successful,
            SignedData = signedData,
            SignatureAlgorithm = signatureAlgorithm,
            Signature = signature,
            Certificates = certificates,
            ResponderName = responderName,
            ResponderKeyHash = responderKeyHash,
            ProducedAt = producedAt,
            Responses = responses,
            Nonce = nonce,
            HasUnknownCriticalExtension = unknownCritical,
        };
    }

    private static OcspSingleResponse ReadSingleResponse(AsnReader single)
    {
        var certId = OcspCertId.ReadFrom(single);
        var statusTag = single.PeekTag();
        OcspCertStatus status;
        DateTimeOffset? revocationTime = null;
        int? reason = null;
        if (statusTag.HasSameClassAndValue(GoodTag))
        {
            single.ReadNull(GoodTag);
            status = OcspCertStatus.Good;
        }
        else if (statusTag.HasSameClassAndValue(RevokedTag))
        {
            var revoked = single.ReadSequence(RevokedTag);
            revocationTime = revoked.ReadGeneralizedTime();
            if (revoked.HasData)
            {
                reason = ReadSmallEnumerated(revoked.ReadSequence(Explicit0));
            }

            status = OcspCertStatus.Revoked;
        }
        else if (statusTag.HasSameClassAndValue(UnknownTag))
        {
            single.ReadNull(UnknownTag);
            status = OcspCertStatus.Unknown;
        }
        else
        {
            throw new OcspFormatException("unknown CertStatus");
        }

        var thisUpdate = single.ReadGeneralizedTime();
        DateTimeOffset? nextUpdate = null;
        if (single.HasData && single.PeekTag().HasSameClassAndValue(Explicit0))
        {
            nextUpdate = single.ReadSequence(Explicit0).ReadGeneralizedTime();
        }

        var unknownCritical = single.HasData && ReadExtensions(single.ReadSequence(Explicit1)).UnknownCritical;
        single.ThrowIfNotEmpty();
        return new OcspSingleResponse(certId, status, thisUpdate, nextUpdate, revocationTime, reason, unknownCritical);
    }

    private static (byte[]? Nonce, bool UnknownCritical) ReadExtensions(AsnReader explicitWrapper)
    {
        byte[]? nonce = null;
        var unknownCritical = false;
        var extensions = explicitWrapper.ReadSequence();
        while (extensions.HasData)
        {
            var extension = extensions.ReadSequence();
            var oid = extension.ReadObjectIdentifier();
            var critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
            var value = extension.ReadOctetString();
            if (oid == OcspOids.Nonce)
            {
                nonce = NonceOf(value);
            }
            else if (critical)
            {
                unknownCritical = true;
            }
        }

        return (nonce, unknownCritical);
    }

    private static int ReadSmallEnumerated(AsnReader reader)
        => (int)new System.Numerics.BigInteger(reader.ReadEnumeratedBytes().Span, isUnsigned: false, isBigEndian: true);

    // RFC 8954: the nonce extension's value is an OCTET STRING; RFC 2560-era responders put the raw bytes there, so accept both.
    private static byte[] NonceOf(byte[] value)
    {
        try
        {
            var inner = new AsnReader(value, AsnEncodingRules.DER);
            var nonce = inner.ReadOctetString();
            return inner.HasData ? value : nonce;
        }
        catch (AsnContentException)
        {
            return value;
        }
    }
}
