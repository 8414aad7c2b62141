using System.Formats.Asn1;
using System.Security.Cryptography;
using MtlsGateway.Pkcs11.Interop;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>Finds keys and certificates on a token by label or CKA_ID, and reads public keys. Private keys need a login.</summary>
public static class TokenKeys
{
    /// <summary>DER of the named curve OID for P-256 (prime256v1), the CKA_EC_PARAMS value.</summary>
    public static ReadOnlySpan<byte> P256Parameters => [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    public static IReadOnlyList<ulong> Find(Pkcs11Session session, ulong objectClass, string? label, ReadOnlySpan<byte> id)
    {
        ArgumentNullException.ThrowIfNull(session);
        var template = new List<TemplateItem> { TemplateItem.Class(objectClass) };
        if (label is not null)
        {
            template.Add(TemplateItem.Utf8(Cka.Label, label));
        }

        if (!id.IsEmpty)
        {
            template.Add(TemplateItem.Bytes(Cka.Id, id));
        }

        return session.FindObjects(template);
    }

    /// <summary>
    /// The EC P-256 public key of a public key object. CKA_EC_POINT is normally a DER OCTET STRING around the
    /// uncompressed point; some modules return the bare point, which is accepted too.
    /// </summary>
    public static ECDsa ReadEcP256PublicKey(Pkcs11Session session, ulong publicKeyHandle)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.GetAttributeValue(publicKeyHandle, Cka.EcParams).AsSpan().SequenceEqual(P256Parameters))
        {
            throw new NotSupportedException("the key is not on curve P-256");
        }

        var point = session.GetAttributeValue(publicKeyHandle, Cka.EcPoint);
        if (point.Length != 65)
        {
            point = AsnDecoder.ReadOctetString(point, AsnEncodingRules.DER, out _);
        }

        if (point is not [0x04, ..] || point.Length != 65)
        {
            throw new FormatException("CKA_EC_POINT is not an uncompressed P-256 point");
        }

        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..] },
        });
    }
}
