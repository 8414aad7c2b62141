using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Revocation.Ocsp;

/// <summary>
/// The CertID of RFC 6960: which certificate an OCSP request or answer is about. SHA-1 hashes of the issuer's name
/// (DER) and of its subjectPublicKey BIT STRING contents, plus the serial number (big-endian, as encoded).
/// </summary>
public sealed class OcspCertId
{
    public OcspCertId(string hashAlgorithmOid, byte[] issuerNameHash, byte[] issuerKeyHash, byte[] serialNumber)
    {
        HashAlgorithmOid = hashAlgorithmOid;
        IssuerNameHash = issuerNameHash;
        IssuerKeyHash = issuerKeyHash;
        SerialNumber = serialNumber;
    }

    public string HashAlgorithmOid { get; }

    public byte[] IssuerNameHash { get; }

    public byte[] IssuerKeyHash { get; }

    public byte[] SerialNumber { get; }

    /// <summary>A stable text key for caches.</summary>
    public string Key => string.Join(':', HashAlgorithmOid, Convert.ToHexString(IssuerNameHash), Convert.ToHexString(IssuerKeyHash), Convert.ToHexString(SerialNumber));

    public static OcspCertId ForCertificate(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        return new OcspCertId(
            OcspOids.Sha1,
#pragma warning disable CA5350 // RFC 6960 CertIDs use SHA-1 as an identifier, not for a signature; every responder understands it.
            SHA1.HashData(issuer.SubjectName.RawData),
            SHA1.HashData(issuer.PublicKey.EncodedKeyValue.RawData),
#pragma warning restore CA5350
            certificate.SerialNumberBytes.ToArray());
    }

    public bool Matches(OcspCertId other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return HashAlgorithmOid == other.HashAlgorithmOid
            && IssuerNameHash.AsSpan().SequenceEqual(other.IssuerNameHash)
            && IssuerKeyHash.AsSpan().SequenceEqual(other.IssuerKeyHash)
            && SerialNumber.AsSpan().SequenceEqual(other.SerialNumber);
    }

    internal void WriteTo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(HashAlgorithmOid);
                writer.WriteNull();
            }

            writer.WriteOctetString(IssuerNameHash);
            writer.WriteOctetString(IssuerKeyHash);
            writer.WriteInteger(SerialNumber);
        }
    }

    internal static OcspCertId ReadFrom(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var algorithm = sequence.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        var nameHash = sequence.ReadOctetString();
        var keyHash = sequence.ReadOctetString();
        var serial = sequence.ReadIntegerBytes().ToArray();
        sequence.ThrowIfNotEmpty();
        return new OcspCertId(oid, nameHash, keyHash, serial);
    }
}
