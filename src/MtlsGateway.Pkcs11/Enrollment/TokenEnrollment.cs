using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Pkcs11.Tokens;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Enrollment;

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
    public static EnrollmentResult Enroll(ISession session, X500DistinguishedName subject, string keyLabel, ReadOnlySpan<byte> keyId)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyLabel);
        if (keyId.IsEmpty)
        {
            throw new ArgumentException("a key id (CKA_ID) is required", nameof(keyId));
        }

        RefuseExisting(session, keyLabel, keyId);
        var id = keyId.ToArray();
        using var mechanism = session.Factories.MechanismFactory.Create(CKM.CKM_EC_KEY_PAIR_GEN);
        using var publicTemplate = new AttributeTemplate(session)
            .Add(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY).Add(CKA.CKA_KEY_TYPE, CKK.CKK_EC)
            .Add(CKA.CKA_TOKEN, true).Add(CKA.CKA_PRIVATE, false)
            .Add(CKA.CKA_VERIFY, true).Add(CKA.CKA_EC_PARAMS, TokenKeys.P256Parameters.ToArray())
            .Add(CKA.CKA_LABEL, keyLabel).Add(CKA.CKA_ID, id);
        using var privateTemplate = new AttributeTemplate(session)
            .Add(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY).Add(CKA.CKA_KEY_TYPE, CKK.CKK_EC)
            .Add(CKA.CKA_TOKEN, true).Add(CKA.CKA_PRIVATE, true)
            .Add(CKA.CKA_SENSITIVE, true).Add(CKA.CKA_EXTRACTABLE, false)
            .Add(CKA.CKA_SIGN, true)
            .Add(CKA.CKA_LABEL, keyLabel).Add(CKA.CKA_ID, id);
        session.GenerateKeyPair(mechanism, publicTemplate.Attributes, privateTemplate.Attributes, out var publicHandle, out var privateHandle);

        using var publicKey = TokenKeys.ReadEcP256PublicKey(session, publicHandle);
        var request = new CertificateRequest(subject, publicKey, HashAlgorithmName.SHA256);
        var csr = request.CreateSigningRequest(new TokenEcdsaSignatureGenerator(session, privateHandle, publicKey));
        return new EnrollmentResult(keyLabel, Convert.ToHexStringLower(id), PemEncoding.WriteString("CERTIFICATE REQUEST", csr));
    }

    /// <summary>
    /// Writes the issued certificate onto the token with the CKA_ID and CKA_LABEL of the key whose public key it
    /// carries (found by matching the token's public keys, so the operator only supplies the certificate).
    /// </summary>
    /// <exception cref="InvalidOperationException">No token key matches the certificate, or it is already there.</exception>
    public static IObjectHandle ImportCertificate(ISession session, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(certificate);
        var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        foreach (var handle in TokenKeys.Find(session, CKO.CKO_PUBLIC_KEY, null, []))
        {
            if (session.TryReadULong(handle, CKA.CKA_KEY_TYPE) is not (ulong)CKK.CKK_EC)
            {
                continue;
            }

            using var tokenKey = TokenKeys.ReadEcP256PublicKey(session, handle);
            if (!tokenKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(spki))
            {
                continue;
            }

            var id = session.ReadBytes(handle, CKA.CKA_ID);
            var label = session.TryReadBytes(handle, CKA.CKA_LABEL) ?? [];
            foreach (var existing in TokenKeys.Find(session, CKO.CKO_CERTIFICATE, null, id))
            {
                if (session.ReadBytes(existing, CKA.CKA_VALUE).AsSpan().SequenceEqual(certificate.RawData))
                {
                    throw new InvalidOperationException($"this certificate is already on the token with id {Convert.ToHexStringLower(id)}");
                }
            }

            using var template = new AttributeTemplate(session)
                .Add(CKA.CKA_CLASS, CKO.CKO_CERTIFICATE).Add(CKA.CKA_CERTIFICATE_TYPE, CKC.CKC_X_509)
                .Add(CKA.CKA_TOKEN, true).Add(CKA.CKA_PRIVATE, false)
                .Add(CKA.CKA_ID, id).Add(CKA.CKA_LABEL, label)
                .Add(CKA.CKA_SUBJECT, certificate.SubjectName.RawData)
                .Add(CKA.CKA_ISSUER, certificate.IssuerName.RawData)
                .Add(CKA.CKA_SERIAL_NUMBER, DerSerialNumber(certificate))
                .Add(CKA.CKA_VALUE, certificate.RawData);
            return session.CreateObject(template.Attributes);
        }

        throw new InvalidOperationException($"no EC P-256 public key on the token matches the certificate '{certificate.Subject}'");
    }

    private static void RefuseExisting(ISession session, string keyLabel, ReadOnlySpan<byte> keyId)
    {
        foreach (var objectClass in new[] { CKO.CKO_PRIVATE_KEY, CKO.CKO_PUBLIC_KEY })
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
