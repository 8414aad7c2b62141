using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Pkcs11.Interop;
using MtlsGateway.Pkcs11.Tokens;

namespace MtlsGateway.Pkcs11.Enrollment;

/// <summary>A key pair generated on the token and the CSR it signed.</summary>
public sealed record EnrollmentResult(string KeyLabel, string KeyIdHex, string CertificateSigningRequestPem);

/// <summary>
/// `token enroll` and `token import-cert`: key generation on the token, a CSR signed by the token, and the issued
/// certificate written next to the key with the same CKA_ID. The session must be read-write and logged in.
/// </summary>
public static class TokenEnrollment
{
    /// <summary>
    /// Generates a non-extractable EC P-256 key pair (CKA_SENSITIVE, not CKA_EXTRACTABLE, CKA_PRIVATE, on the token)
    /// with the given label and id, then a SHA-256 CSR for <paramref name="subject"/> signed on the token.
    /// </summary>
    /// <exception cref="InvalidOperationException">A key with this label or id already exists (nothing is replaced).</exception>
    public static EnrollmentResult Enroll(Pkcs11Session session, X500DistinguishedName subject, string keyLabel, ReadOnlySpan<byte> keyId)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyLabel);
        if (keyId.IsEmpty)
        {
            throw new ArgumentException("a key id (CKA_ID) is required", nameof(keyId));
        }

        RefuseExisting(session, keyLabel, keyId);
        var (publicHandle, privateHandle) = session.GenerateKeyPair(
            Ckm.EcKeyPairGen,
            [
                TemplateItem.Class(Cko.PublicKey), TemplateItem.Number(Cka.KeyType, Ckk.Ec),
                TemplateItem.Bool(Cka.Token, true), TemplateItem.Bool(Cka.Private, false),
                TemplateItem.Bool(Cka.Verify, true), TemplateItem.Bytes(Cka.EcParams, TokenKeys.P256Parameters),
                TemplateItem.Utf8(Cka.Label, keyLabel), TemplateItem.Bytes(Cka.Id, keyId),
            ],
            [
                TemplateItem.Class(Cko.PrivateKey), TemplateItem.Number(Cka.KeyType, Ckk.Ec),
                TemplateItem.Bool(Cka.Token, true), TemplateItem.Bool(Cka.Private, true),
                TemplateItem.Bool(Cka.Sensitive, true), TemplateItem.Bool(Cka.Extractable, false),
                TemplateItem.Bool(Cka.Sign, true),
                TemplateItem.Utf8(Cka.Label, keyLabel), TemplateItem.Bytes(Cka.Id, keyId),
            ]);

        using var publicKey = TokenKeys.ReadEcP256PublicKey(session, publicHandle);
        var request = new CertificateRequest(subject, publicKey, HashAlgorithmName.SHA256);
        var csr = request.CreateSigningRequest(new TokenEcdsaSignatureGenerator(session, privateHandle, publicKey));
        return new EnrollmentResult(keyLabel, Convert.ToHexStringLower(keyId), PemEncoding.WriteString("CERTIFICATE REQUEST", csr));
    }

    /// <summary>
    /// Writes the issued certificate onto the token with the CKA_ID and CKA_LABEL of the key whose public key it
    /// carries (found by matching the token's public keys, so the operator only supplies the certificate).
    /// </summary>
    /// <exception cref="InvalidOperationException">No token key matches the certificate, or it is already there.</exception>
    public static ulong ImportCertificate(Pkcs11Session session, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(certificate);
        var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        foreach (var handle in TokenKeys.Find(session, Cko.PublicKey, null, []))
        {
            if (session.TryGetAttributeValue(handle, Cka.KeyType) is not { } keyType || NativeValues.DecodeULong(keyType) != Ckk.Ec)
            {
                continue;
            }

            using var tokenKey = TokenKeys.ReadEcP256PublicKey(session, handle);
            if (!tokenKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(spki))
            {
                continue;
            }

            var id = session.GetAttributeValue(handle, Cka.Id);
            var label = session.TryGetAttributeValue(handle, Cka.Label) ?? [];
            foreach (var existing in TokenKeys.Find(session, Cko.Certificate, null, id))
            {
                if (session.GetAttributeValue(existing, Cka.Value).AsSpan().SequenceEqual(certificate.RawData))
                {
                    throw new InvalidOperationException($"this certificate is already on the token with id {Convert.ToHexStringLower(id)}");
                }
            }

            return session.CreateObject(
            [
                TemplateItem.Class(Cko.Certificate), TemplateItem.Number(Cka.CertificateType, Ckc.X509),
                TemplateItem.Bool(Cka.Token, true), TemplateItem.Bool(Cka.Private, false),
                TemplateItem.Bytes(Cka.Id, id), TemplateItem.Bytes(Cka.Label, label),
                TemplateItem.Bytes(Cka.Subject, certificate.SubjectName.RawData),
                TemplateItem.Bytes(Cka.Issuer, certificate.IssuerName.RawData),
                TemplateItem.Bytes(Cka.SerialNumber, DerSerialNumber(certificate)),
                TemplateItem.Bytes(Cka.Value, certificate.RawData),
            ]);
        }

        throw new InvalidOperationException($"no EC P-256 public key on the token matches the certificate '{certificate.Subject}'");
    }

    private static void RefuseExisting(Pkcs11Session session, string keyLabel, ReadOnlySpan<byte> keyId)
    {
        foreach (var objectClass in new[] { Cko.PrivateKey, Cko.PublicKey })
        {
            if (TokenKeys.Find(session, objectClass, keyLabel, []).Count > 0 || TokenKeys.Find(session, objectClass, null, keyId).Count > 0)
            {
                throw new InvalidOperationException(
                    $"a key labelled '{keyLabel}' or with id {Convert.ToHexStringLower(keyId)} already exists on the token; choose another label and id");
            }
        }
    }

    /// <summary>
    /// The serial as the INTEGER the certificate carries. Written byte for byte, because some CAs encode serials
    /// non-minimally (a redundant leading 00 or FF) and AsnWriter.WriteInteger rightly refuses to produce that.
    /// </summary>
    private static byte[] DerSerialNumber(X509Certificate2 certificate)
    {
        var content = certificate.SerialNumberBytes.Span;
        if (content.Length > 255)
        {
            throw new InvalidOperationException($"the certificate's serial number is {content.Length} octets long; RFC 5280 allows 20");
        }

        byte[] header = content.Length < 0x80 ? [0x02, (byte)content.Length] : [0x02, 0x81, (byte)content.Length];
        return [.. header, .. content];
    }
}
