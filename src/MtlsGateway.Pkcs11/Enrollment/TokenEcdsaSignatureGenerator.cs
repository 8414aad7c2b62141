using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Enrollment;

/// <summary>
/// Lets CertificateRequest sign with a token EC key: the signature is made by C_Sign (CKM_ECDSA) and converted from
/// r||s to the DER SEQUENCE X.509 wants. The session must be logged in and is used by one thread at a time.
/// </summary>
public sealed class TokenEcdsaSignatureGenerator : X509SignatureGenerator
{
    private readonly ISession session;
    private readonly IObjectHandle privateKey;
    private readonly X509SignatureGenerator algorithms;
    private readonly ECDsa publicKey;

    public TokenEcdsaSignatureGenerator(ISession session, IObjectHandle privateKey, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentNullException.ThrowIfNull(publicKey);
        this.session = session;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        algorithms = CreateForECDsa(publicKey); // only for algorithm identifiers and the public key, never to sign
    }

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) =>
        algorithms.GetSignatureAlgorithmIdentifier(hashAlgorithm);

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
    {
        ArgumentNullException.ThrowIfNull(data);
        var hash = hashAlgorithm.Name switch
        {
            nameof(HashAlgorithmName.SHA256) => SHA256.HashData(data),
            nameof(HashAlgorithmName.SHA384) => SHA384.HashData(data),
            nameof(HashAlgorithmName.SHA512) => SHA512.HashData(data),
            _ => throw new NotSupportedException($"hash algorithm {hashAlgorithm.Name} is not supported"),
        };
        return ToDer(TokenSigner.SignHashEcdsa(session, privateKey, hash));
    }

    protected override PublicKey BuildPublicKey() => PublicKey.CreateFromSubjectPublicKeyInfo(publicKey.ExportSubjectPublicKeyInfo(), out _);

    internal static byte[] ToDer(ReadOnlySpan<byte> rs)
    {
        if (rs.Length == 0 || rs.Length % 2 != 0)
        {
            throw new CryptographicException("the token returned a malformed ECDSA signature");
        }

        var half = rs.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(rs[..half]));
            writer.WriteIntegerUnsigned(Minimal(rs[half..]));
        }

        return writer.Encode();
    }

    // PKCS#11 gives r and s at the curve's full length, so about one signature in 128 has a leading zero byte, which
    // DER must not carry. Zero is no valid r or s.
    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var start = value.IndexOfAnyExcept((byte)0);
        return start < 0
            ? throw new CryptographicException("the token returned a malformed ECDSA signature")
            : value[start..];
    }
}
