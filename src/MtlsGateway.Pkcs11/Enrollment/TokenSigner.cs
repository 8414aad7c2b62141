using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Enrollment;

/// <summary>Signs a SHA-256 hash with a token key through C_Sign: CKM_ECDSA (raw r||s) or CKM_RSA_PKCS over a DigestInfo.</summary>
public static class TokenSigner
{
    private static ReadOnlySpan<byte> Sha256DigestInfoPrefix =>
        [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

    /// <summary>ECDSA over a hash; the result is IEEE P1363 (r||s), as ECDsa.VerifyHash expects by default.</summary>
    public static byte[] SignHashEcdsa(ISession session, IObjectHandle privateKey, ReadOnlySpan<byte> hash) =>
        Sign(session, CKM.CKM_ECDSA, privateKey, hash.ToArray());

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 over a 32-byte hash.</summary>
    public static byte[] SignSha256HashRsaPkcs1(ISession session, IObjectHandle privateKey, ReadOnlySpan<byte> sha256Hash)
    {
        if (sha256Hash.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("expected a SHA-256 hash", nameof(sha256Hash));
        }

        return Sign(session, CKM.CKM_RSA_PKCS, privateKey, [.. Sha256DigestInfoPrefix, .. sha256Hash]);
    }

    private static byte[] Sign(ISession session, CKM mechanismType, IObjectHandle privateKey, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var mechanism = session.Factories.MechanismFactory.Create(mechanismType);
        return session.Sign(mechanism, privateKey, data);
    }
}
