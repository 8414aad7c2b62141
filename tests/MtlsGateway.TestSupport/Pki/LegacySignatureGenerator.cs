using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>
/// Signs what .NET's generators refuse to: RSA PKCS#1 v1.5 with MD5 or SHA-1, ECDSA with SHA-1, and DSA (SHA-1 or
/// SHA-2). Weak-crypto tests need such certificates and CRLs to prove they are refused.
/// </summary>
public sealed class LegacySignatureGenerator(AsymmetricAlgorithm key) : X509SignatureGenerator
{
    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(SignatureOid(hashAlgorithm));
            if (key is RSA)
            {
                writer.WriteNull();
            }
        }

        return writer.Encode();
    }

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => key switch
    {
        RSA rsa => rsa.SignData(data, hashAlgorithm, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => ecdsa.SignData(data, hashAlgorithm, DSASignatureFormat.Rfc3279DerSequence),
        DSA dsa => dsa.SignData(data, hashAlgorithm, DSASignatureFormat.Rfc3279DerSequence),
        _ => throw new NotSupportedException(key.GetType().Name),
    };

    protected override PublicKey BuildPublicKey() => new(key);

    private string SignatureOid(HashAlgorithmName hash) => (key, hash.Name) switch
    {
        (RSA, "MD5") => "1.2.840.113549.1.1.4",
        (RSA, "SHA1") => "1.2.840.113549.1.1.5",
        (RSA, "SHA256") => "1.2.840.113549.1.1.11",
        (RSA, "SHA384") => "1.2.840.113549.1.1.12",
        (RSA, "SHA512") => "1.2.840.113549.1.1.13",
        (ECDsa, "SHA1") => "1.2.840.10045.4.1",
        (ECDsa, "SHA256") => "1.2.840.10045.4.3.2",
        (ECDsa, "SHA384") => "1.2.840.10045.4.3.3",
        (ECDsa, "SHA512") => "1.2.840.10045.4.3.4",
        (DSA, "SHA1") => "1.2.840.10040.4.3",
        (DSA, "SHA256") => "2.16.840.1.101.3.4.3.2",
        _ => throw new NotSupportedException($"{key.GetType().Name} with {hash.Name}"),
    };
}
