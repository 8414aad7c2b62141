using System.Formats.Asn1;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>Finds keys and certificates on a token by label or CKA_ID, and reads public keys. Private keys need a login.</summary>
public static class TokenKeys
{
    private const int UncompressedP256PointLength = 65;

    /// <summary>DER of the named curve OID for P-256 (prime256v1), the CKA_EC_PARAMS value.</summary>
    public static ReadOnlySpan<byte> P256Parameters => [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    /// <summary>Handles of the objects of <paramref name="objectClass"/> with this label and/or CKA_ID (null / empty: any).</summary>
    public static IReadOnlyList<IObjectHandle> Find(ISession session, CKO objectClass, string? label, ReadOnlySpan<byte> id)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var template = new AttributeTemplate(session).Add(CKA.CKA_CLASS, objectClass);
        if (label is not null)
        {
            template.Add(CKA.CKA_LABEL, label);
        }

        if (!id.IsEmpty)
        {
            template.Add(CKA.CKA_ID, id.ToArray());
        }

        return session.FindAllObjects(template.Attributes);
    }

    public static string KeyTypeName(CKK keyType) => keyType switch
    {
        CKK.CKK_RSA => "RSA",
        CKK.CKK_EC => "EC",
        _ => $"key type 0x{(ulong)keyType:X}",
    };

    /// <summary>
    /// The EC P-256 public key of a public key object. CKA_EC_POINT is normally a DER OCTET STRING around the
    /// uncompressed point; some modules return the bare point, which is accepted too.
    /// </summary>
    /// <exception cref="NotSupportedException">The key is not on P-256.</exception>
    /// <exception cref="FormatException">CKA_EC_POINT is not an uncompressed point.</exception>
    public static ECDsa ReadEcP256PublicKey(ISession session, IObjectHandle publicKey)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.ReadBytes(publicKey, CKA.CKA_EC_PARAMS).AsSpan().SequenceEqual(P256Parameters))
        {
            throw new NotSupportedException("the key is not on curve P-256");
        }

        var point = session.ReadBytes(publicKey, CKA.CKA_EC_POINT);
        if (point.Length != UncompressedP256PointLength)
        {
            try
            {
                point = AsnDecoder.ReadOctetString(point, AsnEncodingRules.DER, out _);
            }
            catch (AsnContentException e)
            {
                throw new FormatException("CKA_EC_POINT is neither a point nor a DER OCTET STRING", e);
            }
        }

        if (point is not [0x04, ..] || point.Length != UncompressedP256PointLength)
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
