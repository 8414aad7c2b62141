using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>
/// A certificate written field by field as encoded bytes, so a test can put into it what no API writes (a year-0
/// date, an empty serial, a duplicated extension, an invalid string), then signs it with a real CA key, so the only
/// thing wrong is what the test put there. Starts as a valid end-entity certificate of <see cref="Issuer"/>.
/// </summary>
public sealed class RawCertificate
{
    public RawCertificate(X509Certificate2 issuer, ECDsa subjectKey)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(subjectKey);
        Issuer = issuer;
        IssuerName = issuer.SubjectName.RawData;
        SubjectName = new X500DistinguishedName("CN=corpus client, O=Tests").RawData;
        PublicKeyInfo = subjectKey.ExportSubjectPublicKeyInfo();
        Serial = IntegerOf(TestCa.NewSerial());
        NotBefore = Time(DateTimeOffset.UtcNow.AddHours(-1));
        NotAfter = Time(DateTimeOffset.UtcNow.AddDays(30));
        Extensions.Add(Extension(Oids.BasicConstraints, critical: true, Sequence(_ => { })));
        Extensions.Add(Extension(Oids.KeyUsage, critical: true, new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true).RawData));
        Extensions.Add(Extension(Oids.ExtendedKeyUsage, critical: false, new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(Oids.ClientAuth) }, false).RawData));
        if (issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any())
        {
            Extensions.Add(Extension(Oids.AuthorityKeyIdentifier, critical: false, X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false).RawData));
        }
    }

    public X509Certificate2 Issuer { get; }

    /// <summary>The encoded [0] EXPLICIT version; null leaves it out (version 1).</summary>
    public byte[]? Version { get; set; } = [0xA0, 0x03, 0x02, 0x01, 0x02];

    public byte[] Serial { get; set; }

    /// <summary>The AlgorithmIdentifier inside the signed part; null: the one the signature uses.</summary>
    public byte[]? InnerSignatureAlgorithm { get; set; }

    /// <summary>The AlgorithmIdentifier beside the signature; null: ecdsa-with-SHA256, as signed.</summary>
    public byte[]? OuterSignatureAlgorithm { get; set; }

    public byte[] IssuerName { get; set; }

    public byte[] NotBefore { get; set; }

    public byte[] NotAfter { get; set; }

    public byte[] SubjectName { get; set; }

    public byte[] PublicKeyInfo { get; set; }

    /// <summary>Encoded Extension values; an empty list leaves the extensions field out, unless <see cref="EmptyExtensionsField"/>.</summary>
    public List<byte[]> Extensions { get; } = [];

    /// <summary>Writes the extensions field even when it holds none (RFC 5280 requires at least one).</summary>
    public bool EmptyExtensionsField { get; set; }

    /// <summary>Applied to the finished DER (truncate, mangle a length, append bytes).</summary>
    public Func<byte[], byte[]>? Mangle { get; set; }

    public byte[] Encode()
    {
        var key = Issuer.GetECDsaPrivateKey() ?? throw new ArgumentException("the issuer must carry an EC private key");
        var generator = X509SignatureGenerator.CreateForECDsa(key);
        var algorithm = generator.GetSignatureAlgorithmIdentifier(HashAlgorithmName.SHA256);
        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            if (Version is not null)
            {
                tbs.WriteEncodedValue(Version);
            }

            tbs.WriteEncodedValue(Serial);
            tbs.WriteEncodedValue(InnerSignatureAlgorithm ?? algorithm);
            tbs.WriteEncodedValue(IssuerName);
            using (tbs.PushSequence())
            {
                tbs.WriteEncodedValue(NotBefore);
                tbs.WriteEncodedValue(NotAfter);
            }

            tbs.WriteEncodedValue(SubjectName);
            tbs.WriteEncodedValue(PublicKeyInfo);
            if (Extensions.Count > 0 || EmptyExtensionsField)
            {
                using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true)))
                using (tbs.PushSequence())
                {
                    foreach (var extension in Extensions)
                    {
                        tbs.WriteEncodedValue(extension);
                    }
                }
            }
        }

        // WriteEncodedValue checks only the outer tag and length, so odd content inside (BER, bad strings) is kept.
        var toBeSigned = tbs.Encode();
        var certificate = new AsnWriter(AsnEncodingRules.DER);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(toBeSigned);
            certificate.WriteEncodedValue(OuterSignatureAlgorithm ?? algorithm);
            certificate.WriteBitString(generator.SignData(toBeSigned, HashAlgorithmName.SHA256));
        }

        var der = certificate.Encode();
        return Mangle is null ? der : Mangle(der);
    }

    /// <summary>A TLV with any tag number (universal class unless given) and the content as given.</summary>
    public static byte[] Tlv(byte tag, ReadOnlySpan<byte> content) => [.. Header(tag, content.Length), .. content];

    /// <summary>A tag and a definite length, which need not be the length of what follows.</summary>
    public static byte[] Header(byte tag, int length) => length switch
    {
        < 0x80 => [tag, (byte)length],
        < 0x100 => [tag, 0x81, (byte)length],
        < 0x10000 => [tag, 0x82, (byte)(length >> 8), (byte)length],
        _ => [tag, 0x83, (byte)(length >> 16), (byte)(length >> 8), (byte)length],
    };

    /// <summary>A GeneralizedTime (tag 0x18) or UTCTime (0x17) with exactly the given text.</summary>
    public static byte[] TimeText(byte tag, string text) => Tlv(tag, System.Text.Encoding.ASCII.GetBytes(text));

    public static byte[] Time(DateTimeOffset time)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        if (time.Year is >= 1950 and < 2050)
        {
            writer.WriteUtcTime(time);
        }
        else
        {
            writer.WriteGeneralizedTime(time, omitFractionalSeconds: true);
        }

        return writer.Encode();
    }

    /// <summary>An INTEGER with the content octets exactly as given (non-minimal, negative, empty).</summary>
    public static byte[] IntegerOf(ReadOnlySpan<byte> content) => Tlv(0x02, content);

    public static byte[] Extension(string oid, bool critical, ReadOnlySpan<byte> value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (critical)
            {
                writer.WriteBoolean(true);
            }

            writer.WriteOctetString(value);
        }

        return writer.Encode();
    }

    public static byte[] Sequence(Action<AsnWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            write(writer);
        }

        return writer.Encode();
    }

    /// <summary>A Name of single-attribute RDNs, each value written as the given tag and raw content octets.</summary>
    public static byte[] Name(params (string Oid, byte Tag, byte[] Value)[] attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (oid, tag, value) in attributes)
            {
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                    writer.WriteEncodedValue(Tlv(tag, value));
                }
            }
        }

        return writer.Encode();
    }
}
