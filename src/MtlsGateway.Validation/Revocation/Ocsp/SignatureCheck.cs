using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Revocation.Ocsp;

/// <summary>
/// Verifies X.509-style signatures (RSA PKCS#1 v1.5 and ECDSA with SHA-1/256/384/512) with a certificate's public key.
/// Any other algorithm is unsupported, which callers treat as a failed check.
/// </summary>
internal static class SignatureCheck
{
    public static bool Verify(string algorithmOid, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, X509Certificate2 signer)
    {
        switch (algorithmOid)
        {
            case "1.2.840.113549.1.1.5": return VerifyRsa(signer, data, signature, HashAlgorithmName.SHA1);
            case "1.2.840.113549.1.1.11": return VerifyRsa(signer, data, signature, HashAlgorithmName.SHA256);
            case "1.2.840.113549.1.1.12": return VerifyRsa(signer, data, signature, HashAlgorithmName.SHA384);
            case "1.2.840.113549.1.1.13": return VerifyRsa(signer, data, signature, HashAlgorithmName.SHA512);
            case "1.2.840.10045.4.1": return VerifyEcdsa(signer, data, signature, HashAlgorithmName.SHA1);
            case "1.2.840.10045.4.3.2": return VerifyEcdsa(signer, data, signature, HashAlgorithmName.SHA256);
            case "1.2.840.10045.4.3.3": return VerifyEcdsa(signer, data, signature, HashAlgorithmName.SHA384);
            case "1.2.840.10045.4.3.4": return VerifyEcdsa(signer, data, signature, HashAlgorithmName.SHA512);
            default: return false;
        }
    }

    public static bool IsSupported(string algorithmOid) => algorithmOid is
        "1.2.840.113549.1.1.5" or "1.2.840.113549.1.1.11" or "1.2.840.113549.1.1.12" or "1.2.840.113549.1.1.13" or
        "1.2.840.10045.4.1" or "1.2.840.10045.4.3.2" or "1.2.840.10045.4.3.3" or "1.2.840.10045.4.3.4";

    /// <summary>Whether <paramref name="certificate"/> carries a valid signature by <paramref name="issuer"/>'s key.</summary>
    public static bool IsSignedBy(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        try
        {
            var reader = new AsnReader(certificate.RawDataMemory, AsnEncodingRules.DER);
            var outer = reader.ReadSequence();
            var tbs = outer.ReadEncodedValue();
            var algorithm = outer.ReadSequence().ReadObjectIdentifier();
            var signature = outer.ReadBitString(out var unusedBits);
            return unusedBits == 0 && Verify(algorithm, tbs.Span, signature, issuer);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static bool VerifyRsa(X509Certificate2 signer, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        using var key = signer.GetRSAPublicKey();
        return key is not null && key.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1);
    }

    private static bool VerifyEcdsa(X509Certificate2 signer, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        using var key = signer.GetECDsaPublicKey();
        return key is not null && key.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }
}
