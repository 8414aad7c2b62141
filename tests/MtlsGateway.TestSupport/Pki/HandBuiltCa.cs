using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>
/// A CA for hand-built paths: any extension on any certificate (policy extensions as raw X509Extension), RSA or EC
/// keys of any size, and signatures with hashes CertificateRequest no longer writes (MD5, SHA-1).
/// </summary>
public sealed class HandBuiltCa : IDisposable
{
    private HandBuiltCa(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        Certificate = certificate;
        Key = key;
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public AsymmetricAlgorithm Key { get; }

    /// <summary>The certificate without its key, as a client would send it.</summary>
    public X509Certificate2 Public => X509CertificateLoader.LoadCertificate(Certificate.RawData);

    public static HandBuiltCa Root(string subject, HandBuiltKey? key = null, string signatureHash = "SHA256", params X509Extension[] extensions)
    {
        var privateKey = (key ?? HandBuiltKey.P256).Create();
        var request = Request(subject, privateKey, ca: true, extensions);
        var serial = Serial();
        using var certificate = request.Create(request.SubjectName, Generator(privateKey, signatureHash), DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddYears(3), serial);
        return new HandBuiltCa(WithKey(certificate, privateKey), privateKey);
    }

    /// <summary>Wraps an existing CA (with its private key), such as a test PKI's root.</summary>
    public static HandBuiltCa From(X509Certificate2 certificate) =>
        new(certificate, (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()!);

    public HandBuiltCa Intermediate(string subject, HandBuiltKey? key = null, string signatureHash = "SHA256", params X509Extension[] extensions)
    {
        var privateKey = (key ?? HandBuiltKey.P256).Create();
        using var certificate = Sign(Request(subject, privateKey, ca: true, extensions), signatureHash);
        return new HandBuiltCa(WithKey(certificate, privateKey), privateKey);
    }

    /// <summary>An end-entity certificate for TLS client authentication, with its private key.</summary>
    public X509Certificate2 Leaf(string subject, HandBuiltKey? key = null, string signatureHash = "SHA256", params X509Extension[] extensions)
    {
        var privateKey = (key ?? HandBuiltKey.P256).Create();
        using var certificate = Sign(Request(subject, privateKey, ca: false, extensions), signatureHash);
        return WithKey(certificate, privateKey);
    }

    /// <summary>A leaf signed by this certificate even when it is no CA (CertificateRequest.Create would refuse).</summary>
    public X509Certificate2 LeafWithoutCaCheck(string subject) => Leaf(subject);

    /// <summary>
    /// Signs a certificate whose to-be-signed bytes were edited after CertificateRequest wrote them (what no API
    /// writes: a repeated extension, a non-DER value); <paramref name="edit"/> gets and returns the TBS bytes.
    /// </summary>
    public X509Certificate2 LeafWithEditedTbs(string subject, Func<byte[], byte[]> edit, params X509Extension[] extensions)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var draft = Sign(Request(subject, key, ca: false, extensions), "SHA256");
        var outer = new AsnReader(draft.RawData, AsnEncodingRules.DER).ReadSequence();
        var tbs = edit(outer.ReadEncodedValue().ToArray());
        var generator = Generator(Key, "SHA256");
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(tbs);
            writer.WriteEncodedValue(generator.GetSignatureAlgorithmIdentifier(HashAlgorithmName.SHA256));
            writer.WriteBitString(generator.SignData(tbs, HashAlgorithmName.SHA256));
        }

        return X509CertificateLoader.LoadCertificate(writer.Encode());
    }

    /// <summary>A CRL of this CA listing nothing, signed with the given hash.</summary>
    public byte[] EmptyCrl(string signatureHash = "SHA256")
    {
        var builder = new CertificateRevocationListBuilder();
        var akid = X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false);
        return builder.Build(Certificate.SubjectName, Generator(Key, signatureHash), 1, DateTimeOffset.UtcNow.AddDays(1), HashAlgorithmName.SHA256, akid, DateTimeOffset.UtcNow.AddHours(-1));
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }

    private X509Certificate2 Sign(CertificateRequest request, string signatureHash)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var notAfter = Certificate.NotAfter.ToUniversalTime().AddDays(-1);
        return request.Create(Certificate.SubjectName, Generator(Key, signatureHash), DateTimeOffset.UtcNow.AddDays(-1), notAfter, Serial());
    }

    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key, bool ca, X509Extension[] extensions)
    {
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            ca ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign : X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        foreach (var extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        return request;
    }

    private static X509SignatureGenerator Generator(AsymmetricAlgorithm key, string hash) => key switch
    {
        RSA rsa => new RsaPkcs1Generator(rsa, hash),
        ECDsa ecdsa when hash == "SHA1" => new EcdsaSha1Generator(ecdsa),
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        _ => throw new ArgumentException("unsupported key", nameof(key)),
    };

    private static X509Certificate2 WithKey(X509Certificate2 certificate, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
        _ => throw new ArgumentException("unsupported key", nameof(key)),
    };

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        return serial;
    }

    /// <summary>RSA PKCS#1 v1.5 with any hash, MD5 and SHA-1 included (CertificateRequest writes neither any more).</summary>
    private sealed class RsaPkcs1Generator(RSA key, string hash) : X509SignatureGenerator
    {
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
        {
            var oid = hash switch
            {
                "MD5" => "1.2.840.113549.1.1.4",
                "SHA1" => "1.2.840.113549.1.1.5",
                "SHA384" => "1.2.840.113549.1.1.12",
                _ => "1.2.840.113549.1.1.11",
            };
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(oid);
                writer.WriteNull();
            }

            return writer.Encode();
        }

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) =>
            key.SignData(data, new HashAlgorithmName(hash), RSASignaturePadding.Pkcs1);

        protected override PublicKey BuildPublicKey() => PublicKey.CreateFromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
    }

    private sealed class EcdsaSha1Generator(ECDsa key) : X509SignatureGenerator
    {
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.10045.4.1");
            }

            return writer.Encode();
        }

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) =>
            key.SignData(data, HashAlgorithmName.SHA1, DSASignatureFormat.Rfc3279DerSequence);

        protected override PublicKey BuildPublicKey() => PublicKey.CreateFromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
    }
}
