using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Crypto;

namespace MtlsGateway.Validation.Signatures;

// DSA is only verified here, for CRLs and certificates that already use it (PKITS has them); nothing is signed with it.
#pragma warning disable CA5384

/// <summary>
/// Verifies a signature made over DER bytes (a CRL, an OCSP answer, a certificate) with a certificate's public key:
/// RSA PKCS#1 v1.5, RSA-PSS (MGF1 with the same hash, salt as long as the hash), ECDSA and DSA.
/// A DSA key without parameters inherits them from the nearest ancestor DSA key (RFC 3279 2.3.2).
/// A signature below the crypto minimums (algorithm or signer key) is not relied on, whether or not it verifies.
/// </summary>
internal static class SignatureVerification
{
    private const string RsaKeyOid = "1.2.840.113549.1.1.1";
    private const string EcKeyOid = "1.2.840.10045.2.1";
    private const string DsaKeyOid = "1.2.840.10040.4.1";
    private const string RsaPssOid = "1.2.840.113549.1.1.10";
    private const string Mgf1Oid = "1.2.840.113549.1.1.8";

    /// <summary>Null when the signature verifies and meets the minimums; otherwise why not, for operators.</summary>
    /// <param name="ancestors">The signer's issuers, nearest first, for DSA parameter inheritance.</param>
    public static string? Verify(
        ReadOnlySpan<byte> data, SignatureAlgorithm algorithm, ReadOnlySpan<byte> signature, X509Certificate2 signer, IReadOnlyList<X509Certificate2> ancestors, CryptoMinimums minimums)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(ancestors);
        ArgumentNullException.ThrowIfNull(minimums);
        if (StrengthProblem(algorithm, signer, ancestors, minimums) is { } weak)
        {
            return weak;
        }

        try
        {
            return VerifyCore(data, algorithm, signature, signer, ancestors);
        }
        catch (CryptographicException)
        {
            return $"the public key of '{signer.Subject}' cannot verify {algorithm.Oid} signatures";
        }
        catch (AsnContentException)
        {
            return $"the {algorithm.Oid} signature parameters or key are malformed";
        }
    }

    /// <summary>Null when a signature with this algorithm by this signer may be relied on; otherwise why not.</summary>
    public static string? StrengthProblem(SignatureAlgorithm algorithm, X509Certificate2 signer, IReadOnlyList<X509Certificate2> ancestors, CryptoMinimums minimums)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(minimums);
        if (minimums.SignatureProblem(algorithm.Oid, algorithm.Parameters) is { } weakSignature)
        {
            return $"cannot be relied on: {weakSignature}";
        }

        return minimums.KeyProblem(signer, ancestors) is { } weakKey
            ? $"cannot be relied on: signer '{signer.Subject}': {weakKey}"
            : null;
    }

    private static string? VerifyCore(ReadOnlySpan<byte> data, SignatureAlgorithm algorithm, ReadOnlySpan<byte> signature, X509Certificate2 signer, IReadOnlyList<X509Certificate2> ancestors)
    {
        var keyOid = signer.PublicKey.Oid.Value;
        bool verified;
        switch (algorithm.Oid)
        {
            case "1.2.840.113549.1.1.5" or "1.2.840.113549.1.1.11" or "1.2.840.113549.1.1.12" or "1.2.840.113549.1.1.13":
                {
                    if (keyOid != RsaKeyOid)
                    {
                        return KeyMismatch(algorithm, signer);
                    }

                    using var rsa = signer.GetRSAPublicKey()!;
                    verified = rsa.VerifyData(data, signature, RsaPkcs1Hash(algorithm.Oid), RSASignaturePadding.Pkcs1);
                    break;
                }

            case RsaPssOid:
                {
                    if (keyOid != RsaKeyOid)
                    {
                        return KeyMismatch(algorithm, signer);
                    }

                    if (PssHash(algorithm.Parameters) is not { } hash)
                    {
                        return "RSA-PSS parameters other than MGF1 with the same hash and a salt as long as the hash are not supported";
                    }

                    using var rsa = signer.GetRSAPublicKey()!;
                    verified = rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pss);
                    break;
                }

            case "1.2.840.10045.4.1" or "1.2.840.10045.4.3.2" or "1.2.840.10045.4.3.3" or "1.2.840.10045.4.3.4":
                {
                    if (keyOid != EcKeyOid)
                    {
                        return KeyMismatch(algorithm, signer);
                    }

                    using var ecdsa = signer.GetECDsaPublicKey()!;
                    verified = ecdsa.VerifyData(data, signature, EcdsaHash(algorithm.Oid), DSASignatureFormat.Rfc3279DerSequence);
                    break;
                }

            case "1.2.840.10040.4.3" or "2.16.840.1.101.3.4.3.2":
                {
                    if (keyOid != DsaKeyOid)
                    {
                        return KeyMismatch(algorithm, signer);
                    }

                    using var dsa = DsaKey(signer, ancestors);
                    if (dsa is null)
                    {
                        return $"the DSA key of '{signer.Subject}' has no parameters and no ancestor DSA key provides them";
                    }

                    var hash = algorithm.Oid == "1.2.840.10040.4.3" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
                    verified = dsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
                    break;
                }

            default:
                return $"signature algorithm {algorithm.Oid} is not supported";
        }

        return verified ? null : $"the signature does not verify with the key of '{signer.Subject}'";
    }

    private static string KeyMismatch(SignatureAlgorithm algorithm, X509Certificate2 signer) =>
        $"signature algorithm {algorithm.Oid} does not fit the {signer.PublicKey.Oid.FriendlyName ?? signer.PublicKey.Oid.Value} key of '{signer.Subject}'";

    private static HashAlgorithmName RsaPkcs1Hash(string oid) => oid switch
    {
        "1.2.840.113549.1.1.5" => HashAlgorithmName.SHA1,
        "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
        "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    private static HashAlgorithmName EcdsaHash(string oid) => oid switch
    {
        "1.2.840.10045.4.1" => HashAlgorithmName.SHA1,
        "1.2.840.10045.4.3.2" => HashAlgorithmName.SHA256,
        "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    private static HashAlgorithmName? HashFromOid(string oid) => oid switch
    {
        "1.3.14.3.2.26" => HashAlgorithmName.SHA1,
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        _ => null,
    };

    private static int HashLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA1 ? 20 : hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;

    /// <summary>The hash of RSASSA-PSS-params when they describe what .NET implements; null otherwise.</summary>
    private static HashAlgorithmName? PssHash(ReadOnlyMemory<byte> parameters)
    {
        if (parameters.IsEmpty)
        {
            return null;
        }

        var sequence = new AsnReader(parameters, AsnEncodingRules.DER).ReadSequence();
        HashAlgorithmName? hash = HashAlgorithmName.SHA1;
        HashAlgorithmName? maskHash = HashAlgorithmName.SHA1;
        var saltLength = 20;
        var trailer = 1;
        for (var tagValue = 0; tagValue <= 3 && sequence.HasData; tagValue++)
        {
            var tag = new Asn1Tag(TagClass.ContextSpecific, tagValue, isConstructed: true);
            if (!sequence.PeekTag().HasSameClassAndValue(tag))
            {
                continue;
            }

            var field = sequence.ReadSequence(tag);
            switch (tagValue)
            {
                case 0:
                    hash = HashFromOid(field.ReadSequence().ReadObjectIdentifier());
                    break;
                case 1:
                    var mask = field.ReadSequence();
                    maskHash = mask.ReadObjectIdentifier() == Mgf1Oid ? HashFromOid(mask.ReadSequence().ReadObjectIdentifier()) : null;
                    break;
                case 2:
                    saltLength = field.TryReadInt32(out var salt) ? salt : -1;
                    break;
                default:
                    trailer = field.TryReadInt32(out var value) ? value : -1;
                    break;
            }
        }

        sequence.ThrowIfNotEmpty();
        return hash is { } h && maskHash == h && saltLength == HashLength(h) && trailer == 1 ? h : null;
    }

    private static DSA? DsaKey(X509Certificate2 signer, IReadOnlyList<X509Certificate2> ancestors)
    {
        if (HasDsaParameters(signer))
        {
            return signer.GetDSAPublicKey();
        }

        foreach (var ancestor in ancestors)
        {
            if (ancestor.PublicKey.Oid.Value != DsaKeyOid)
            {
                return null;
            }

            if (HasDsaParameters(ancestor))
            {
                var domain = new AsnReader(ancestor.PublicKey.EncodedParameters?.RawData, AsnEncodingRules.DER).ReadSequence();
                var p = Unsigned(domain.ReadIntegerBytes().Span);
                var q = Unsigned(domain.ReadIntegerBytes().Span);
                var g = Unsigned(domain.ReadIntegerBytes().Span);
                var y = Unsigned(new AsnReader(signer.PublicKey.EncodedKeyValue.RawData, AsnEncodingRules.DER).ReadIntegerBytes().Span);
                return DSA.Create(new DSAParameters { P = p, Q = q, G = LeftPad(g, p.Length), Y = LeftPad(y, p.Length) });
            }
        }

        return null;
    }

    private static bool HasDsaParameters(X509Certificate2 certificate)
    {
        var parameters = certificate.PublicKey.EncodedParameters?.RawData ?? [];
        return parameters.Length > 0 && !(parameters.Length == 2 && parameters[0] == 0x05 && parameters[1] == 0x00);
    }

    private static byte[] Unsigned(ReadOnlySpan<byte> integer) =>
        (integer.Length > 1 && integer[0] == 0 ? integer[1..] : integer).ToArray();

    private static byte[] LeftPad(byte[] value, int length)
    {
        if (value.Length >= length)
        {
            return value;
        }

        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }
}
