using System.Formats.Asn1;

namespace MtlsGateway.Validation.Crypto;

/// <summary>The signature algorithms a certificate, CRL or OCSP answer may use, by OID, with the hash each one signs.</summary>
internal static class SignatureAlgorithms
{
    public const string RsaPss = "1.2.840.113549.1.1.10";

    private static readonly Dictionary<string, SignatureAlgorithmInfo> Known = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.2"] = new("md2WithRSAEncryption", "MD2"),
        ["1.2.840.113549.1.1.3"] = new("md4WithRSAEncryption", "MD4"),
        ["1.2.840.113549.1.1.4"] = new("md5WithRSAEncryption", "MD5"),
        ["1.3.14.3.2.3"] = new("md5WithRSA", "MD5"),
        ["1.2.840.113549.1.1.5"] = new("sha1WithRSAEncryption", "SHA-1"),
        ["1.3.14.3.2.29"] = new("sha1WithRSASignature", "SHA-1"),
        ["1.2.840.10040.4.3"] = new("dsa-with-sha1", "SHA-1"),
        ["1.3.14.3.2.27"] = new("dsaWithSHA1", "SHA-1"),
        ["1.2.840.10045.4.1"] = new("ecdsa-with-SHA1", "SHA-1"),
        ["1.2.840.113549.1.1.14"] = new("sha224WithRSAEncryption", "SHA-224"),
        ["1.2.840.113549.1.1.11"] = new("sha256WithRSAEncryption", "SHA-256"),
        ["1.2.840.113549.1.1.12"] = new("sha384WithRSAEncryption", "SHA-384"),
        ["1.2.840.113549.1.1.13"] = new("sha512WithRSAEncryption", "SHA-512"),
        ["2.16.840.1.101.3.4.3.13"] = new("id-rsassa-pkcs1-v1_5-with-sha3-224", "SHA3-224"),
        ["2.16.840.1.101.3.4.3.14"] = new("id-rsassa-pkcs1-v1_5-with-sha3-256", "SHA3-256"),
        ["2.16.840.1.101.3.4.3.15"] = new("id-rsassa-pkcs1-v1_5-with-sha3-384", "SHA3-384"),
        ["2.16.840.1.101.3.4.3.16"] = new("id-rsassa-pkcs1-v1_5-with-sha3-512", "SHA3-512"),
        ["2.16.840.1.101.3.4.3.1"] = new("dsa-with-sha224", "SHA-224"),
        ["2.16.840.1.101.3.4.3.2"] = new("dsa-with-sha256", "SHA-256"),
        ["2.16.840.1.101.3.4.3.3"] = new("dsa-with-sha384", "SHA-384"),
        ["2.16.840.1.101.3.4.3.4"] = new("dsa-with-sha512", "SHA-512"),
        ["1.2.840.10045.4.3.1"] = new("ecdsa-with-SHA224", "SHA-224"),
        ["1.2.840.10045.4.3.2"] = new("ecdsa-with-SHA256", "SHA-256"),
        ["1.2.840.10045.4.3.3"] = new("ecdsa-with-SHA384", "SHA-384"),
        ["1.2.840.10045.4.3.4"] = new("ecdsa-with-SHA512", "SHA-512"),
        ["2.16.840.1.101.3.4.3.9"] = new("id-ecdsa-with-sha3-224", "SHA3-224"),
        ["2.16.840.1.101.3.4.3.10"] = new("id-ecdsa-with-sha3-256", "SHA3-256"),
        ["2.16.840.1.101.3.4.3.11"] = new("id-ecdsa-with-sha3-384", "SHA3-384"),
        ["2.16.840.1.101.3.4.3.12"] = new("id-ecdsa-with-sha3-512", "SHA3-512"),
        ["1.3.101.112"] = new("Ed25519", null),
        ["1.3.101.113"] = new("Ed448", null),
    };

    private static readonly Dictionary<string, string> Hashes = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.2.2"] = "MD2",
        ["1.2.840.113549.2.5"] = "MD5",
        ["1.3.14.3.2.26"] = "SHA-1",
        ["2.16.840.1.101.3.4.2.4"] = "SHA-224",
        ["2.16.840.1.101.3.4.2.1"] = "SHA-256",
        ["2.16.840.1.101.3.4.2.2"] = "SHA-384",
        ["2.16.840.1.101.3.4.2.3"] = "SHA-512",
        ["2.16.840.1.101.3.4.2.7"] = "SHA3-224",
        ["2.16.840.1.101.3.4.2.8"] = "SHA3-256",
        ["2.16.840.1.101.3.4.2.9"] = "SHA3-384",
        ["2.16.840.1.101.3.4.2.10"] = "SHA3-512",
    };

    /// <summary>Null for an algorithm this list does not know, or RSA-PSS parameters that do not parse.</summary>
    /// <param name="parameters">The AlgorithmIdentifier's parameters (DER), needed for RSA-PSS, whose hash is a parameter.</param>
    public static SignatureAlgorithmInfo? Describe(string oid, ReadOnlyMemory<byte> parameters)
    {
        if (oid != RsaPss)
        {
            return Known.TryGetValue(oid, out var info) ? info : null;
        }

        try
        {
            // RSASSA-PSS-params: hashAlgorithm [0] defaults to SHA-1 (RFC 4055).
            if (parameters.IsEmpty)
            {
                return new SignatureAlgorithmInfo("RSASSA-PSS", "SHA-1");
            }

            var sequence = new AsnReader(parameters, AsnEncodingRules.DER).ReadSequence();
            var hashTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (!sequence.HasData || !sequence.PeekTag().HasSameClassAndValue(hashTag))
            {
                return new SignatureAlgorithmInfo("RSASSA-PSS", "SHA-1");
            }

            var hashOid = sequence.ReadSequence(hashTag).ReadSequence().ReadObjectIdentifier();
            return Hashes.TryGetValue(hashOid, out var hash) ? new SignatureAlgorithmInfo("RSASSA-PSS", hash) : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
