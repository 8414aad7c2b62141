using System.Security.Cryptography;
using MtlsGateway.Pkcs11.Interop;

namespace MtlsGateway.Pkcs11.Enrollment;

/// <summary>Signs a SHA-256 hash with a token key through C_Sign: CKM_ECDSA (raw r||s) or CKM_RSA_PKCS over a DigestInfo.</summary>
public static class TokenSigner
{
    private static ReadOnlySpan<byte> Sha256DigestInfoPrefix =>
        [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

    /// <summary>ECDSA over a hash; the result is IEEE P1363 (r||s), as ECDsa.VerifyHash expects by default.</summary>
    public static byte[] SignHashEcdsa(Pkcs11Session session, ulong privateKey, ReadOnlySpan<byte> hash)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Sign(privateKey, Ckm.Ecdsa, hash);
    }

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 over a 32-byte hash.</summary>
    public static byte[] SignSha256HashRsaPkcs1(Pkcs11Session session, ulong privateKey, ReadOnlySpan<byte> sha256Hash)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (sha256Hash.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("expected a SHA-256 hash", nameof(sha256Hash));
        }

        return session.Sign(privateKey, Ckm.RsaPkcs, [.. Sha256DigestInfoPrefix, .. sha256Hash]);
    }
}
