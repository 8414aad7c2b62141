using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Pkcs11.Enrollment;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Identity;

/// <summary>
/// Proves the token holds the private key of a certificate: a fresh random challenge is signed on the token (C_Sign)
/// and verified with the certificate's public key. A signature that does not verify means the certificate does not
/// belong to the key.
/// </summary>
public static class PossessionProof
{
    /// <returns>True when the token's signature verifies under the certificate's public key.</returns>
    public static bool Verify(ISession session, IObjectHandle privateKey, CKK keyType, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(certificate);
        var challenge = SHA256.HashData(RandomNumberGenerator.GetBytes(32));
        switch (keyType)
        {
            case CKK.CKK_EC:
                using (var publicKey = certificate.GetECDsaPublicKey())
                {
                    return publicKey is not null
                        && publicKey.VerifyHash(challenge, TokenSigner.SignHashEcdsa(session, privateKey, challenge));
                }

            case CKK.CKK_RSA:
                using (var publicKey = certificate.GetRSAPublicKey())
                {
                    return publicKey is not null && publicKey.VerifyHash(
                        challenge, TokenSigner.SignSha256HashRsaPkcs1(session, privateKey, challenge), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }

            default:
                return false;
        }
    }

    /// <summary>The same proof through the engine key TLS will use: the path OpenSSL takes, end to end.</summary>
    public static bool Verify(AsymmetricAlgorithm engineKey, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var challenge = SHA256.HashData(RandomNumberGenerator.GetBytes(32));
        switch (engineKey)
        {
            case ECDsa ec:
                using (var publicKey = certificate.GetECDsaPublicKey())
                {
                    return publicKey is not null && publicKey.VerifyHash(challenge, ec.SignHash(challenge));
                }

            case RSA rsa:
                using (var publicKey = certificate.GetRSAPublicKey())
                {
                    return publicKey is not null && publicKey.VerifyHash(
                        challenge, rsa.SignHash(challenge, HashAlgorithmName.SHA256, RSASignaturePadding.Pss), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                }

            default:
                return false;
        }
    }
}
