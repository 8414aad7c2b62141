using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>
/// Picks the signature generator for a key and a hash: .NET's own where it signs that combination, the
/// <see cref="LegacySignatureGenerator"/> where .NET refuses (MD5 and SHA-1, and DSA altogether).
/// </summary>
public static class SignatureGenerators
{
    public static X509SignatureGenerator For(AsymmetricAlgorithm key, HashAlgorithmName hash, RSASignaturePadding? padding = null)
    {
        var legacyHash = hash == HashAlgorithmName.MD5 || hash == HashAlgorithmName.SHA1;
        return key switch
        {
            RSA rsa when padding == RSASignaturePadding.Pss => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pss),
            RSA rsa when !legacyHash => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa when !legacyHash => X509SignatureGenerator.CreateForECDsa(ecdsa),
            _ => new LegacySignatureGenerator(key),
        };
    }

    /// <summary>The generator for the private key a certificate carries.</summary>
    public static X509SignatureGenerator For(X509Certificate2 signer, HashAlgorithmName hash, RSASignaturePadding? padding = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)signer.GetECDsaPrivateKey()
            ?? (AsymmetricAlgorithm?)signer.GetRSAPrivateKey()
            ?? signer.GetDSAPrivateKey()
            ?? throw new ArgumentException($"'{signer.Subject}' carries no private key", nameof(signer));
        return For(key, hash, padding);
    }
}
