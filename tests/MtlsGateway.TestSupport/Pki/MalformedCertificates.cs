using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>
/// A corpus of certificates a hostile or broken client may present, all issued by one real CA for one key, so each is
/// wrong in exactly the named way: extreme and malformed dates, odd serials, duplicated and unknown critical
/// extensions, odd string encodings, empty and huge names, odd SANs, wrong versions, mismatched algorithms, broken DER.
/// </summary>
public sealed class MalformedCertificates
{
    private const byte Utf8String = 0x0C;
    private const byte PrintableString = 0x13;
    private const byte T61String = 0x14;
    private const byte Ia5String = 0x16;
    private const byte UtcTime = 0x17;
    private const byte GeneralizedTime = 0x18;
    private const byte UniversalString = 0x1C;
    private const byte BmpString = 0x1E;
    private const string CommonName = "2.5.4.3";

    private readonly X509Certificate2 issuer;

    /// <param name="issuer">An EC CA with its private key.</param>
    /// <param name="key">The client's key, the one every corpus certificate certifies (so a TLS client can use it).</param>
    public MalformedCertificates(X509Certificate2 issuer, ECDsa key)
    {
        this.issuer = issuer;
        Key = key;
    }

    public ECDsa Key { get; }

    /// <summary>Every case: its name and its DER (which may not even parse).</summary>
    public IReadOnlyList<(string Name, byte[] Der)> All() =>
    [
        .. Dates(),
        .. Serials(),
        .. Names(),
        .. ExtensionCases(),
        .. Structure(),
    ];

    /// <summary>A well-formed certificate from the same CA and key: what the corpus is measured against.</summary>
    public byte[] Baseline() => New().Encode();

    public RawCertificate New() => new(issuer, Key);

    private IEnumerable<(string, byte[])> Dates()
    {
        yield return Case("notBefore year 0 (GeneralizedTime)", c => c.NotBefore = RawCertificate.TimeText(GeneralizedTime, "00000101000000Z"));
        yield return Case("notAfter year 0 (GeneralizedTime)", c => c.NotAfter = RawCertificate.TimeText(GeneralizedTime, "00000101000000Z"));
        yield return Case("notAfter 99991231235959Z (no well-defined expiry)", c => c.NotAfter = RawCertificate.TimeText(GeneralizedTime, "99991231235959Z"));
        yield return Case("notBefore UTCTime 500101000000Z (1950)", c => c.NotBefore = RawCertificate.TimeText(UtcTime, "500101000000Z"));
        yield return Case("notAfter UTCTime 491231235959Z (2049)", c => c.NotAfter = RawCertificate.TimeText(UtcTime, "491231235959Z"));
        yield return Case("notBefore GeneralizedTime before 2050", c => c.NotBefore = RawCertificate.TimeText(GeneralizedTime, "20200101000000Z"));
        yield return Case("notAfter with fractional seconds", c => c.NotAfter = RawCertificate.TimeText(GeneralizedTime, "20400101000000.123Z"));
        yield return Case("notAfter UTCTime without seconds", c => c.NotAfter = RawCertificate.TimeText(UtcTime, "4001010000Z"));
        yield return Case("notAfter local time without Z", c => c.NotAfter = RawCertificate.TimeText(GeneralizedTime, "20400101000000"));
        yield return Case("notAfter with an offset", c => c.NotAfter = RawCertificate.TimeText(UtcTime, "400101000000+0100"));
        yield return Case("notAfter month 13", c => c.NotAfter = RawCertificate.TimeText(GeneralizedTime, "20401301000000Z"));
        yield return Case("notAfter February 30", c => c.NotAfter = RawCertificate.TimeText(GeneralizedTime, "20400230000000Z"));
        yield return Case("notAfter hour 24", c => c.NotAfter = RawCertificate.TimeText(GeneralizedTime, "20400101240000Z"));
        yield return Case("notAfter letters", c => c.NotAfter = RawCertificate.TimeText(GeneralizedTime, "2040O101000000Z"));
        yield return Case("notAfter empty", c => c.NotAfter = RawCertificate.TimeText(GeneralizedTime, string.Empty));
        yield return Case("notAfter as an INTEGER", c => c.NotAfter = RawCertificate.IntegerOf([0x01]));
        yield return Case("notAfter before notBefore", c => (c.NotBefore, c.NotAfter) = (c.NotAfter, c.NotBefore));
    }

    private IEnumerable<(string, byte[])> Serials()
    {
        yield return Case("serial of 200 octets", c => c.Serial = RawCertificate.IntegerOf([0x01, .. RandomNumberGenerator.GetBytes(199)]));
        yield return Case("serial negative", c => c.Serial = RawCertificate.IntegerOf([0xFF, 0x01]));
        yield return Case("serial zero", c => c.Serial = RawCertificate.IntegerOf([0x00]));
        yield return Case("serial empty INTEGER", c => c.Serial = RawCertificate.IntegerOf([]));
        yield return Case("serial non-minimal", c => c.Serial = RawCertificate.IntegerOf([0x00, 0x00, 0x01]));
        yield return Case("serial as an OCTET STRING", c => c.Serial = RawCertificate.Tlv(0x04, [0x01]));
    }

    private IEnumerable<(string, byte[])> Names()
    {
        yield return Case("empty subject", c => c.SubjectName = [0x30, 0x00]);
        yield return Case("subject CN of 60000 characters", c => c.SubjectName = CommonNameOf(Utf8String, Encoding.UTF8.GetBytes(new string('a', 60_000))));
        yield return Case("subject of 3000 RDNs", c => c.SubjectName = RawCertificate.Name([.. Enumerable.Range(0, 3000).Select(i => (CommonName, Utf8String, Encoding.UTF8.GetBytes($"n{i}")))]));
        yield return Case("subject BMPString", c => c.SubjectName = CommonNameOf(BmpString, Encoding.BigEndianUnicode.GetBytes("bmp client")));
        yield return Case("subject BMPString odd length", c => c.SubjectName = CommonNameOf(BmpString, [0x00, 0x61, 0x00]));
        yield return Case("subject UniversalString", c => c.SubjectName = CommonNameOf(UniversalString, new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetBytes("universal")));
        yield return Case("subject T61String with high bytes", c => c.SubjectName = CommonNameOf(T61String, [0x74, 0xC1, 0x65, 0xFF]));
        yield return Case("subject invalid UTF-8", c => c.SubjectName = CommonNameOf(Utf8String, [0x61, 0xC3, 0x28, 0xFF]));
        yield return Case("subject embedded NUL", c => c.SubjectName = CommonNameOf(Utf8String, Encoding.UTF8.GetBytes("alice\0admin")));
        yield return Case("subject control characters", c => c.SubjectName = CommonNameOf(Utf8String, Encoding.UTF8.GetBytes("a\u001b[31mred\r\nfake line\u007f\u009b\u202e\u2028")));
        yield return Case("subject PrintableString with @", c => c.SubjectName = CommonNameOf(PrintableString, Encoding.ASCII.GetBytes("a@b")));
        yield return Case("subject IA5String high bytes", c => c.SubjectName = CommonNameOf(Ia5String, [0x61, 0x80, 0xFE]));
        yield return Case("subject value an INTEGER", c => c.SubjectName = CommonNameOf(0x02, [0x05]));
        yield return Case("subject not a SEQUENCE", c => c.SubjectName = RawCertificate.Tlv(0x31, []));
        yield return Case("issuer BMPString (no matching CA)", c => c.IssuerName = CommonNameOf(BmpString, Encoding.BigEndianUnicode.GetBytes("issuer")));
    }

    private IEnumerable<(string, byte[])> ExtensionCases()
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("client.test");
        var sanValue = san.Build().RawData;
        yield return Case("duplicate subjectAltName", c => c.Extensions.AddRange([RawCertificate.Extension(Oids.SubjectAlternativeName, false, sanValue), RawCertificate.Extension(Oids.SubjectAlternativeName, false, sanValue)]));
        yield return Case("duplicate basicConstraints (CA true second)", c => c.Extensions.Add(RawCertificate.Extension(Oids.BasicConstraints, true, RawCertificate.Sequence(w => w.WriteBoolean(true)))));
        yield return Case("unknown critical extension", c => c.Extensions.Add(RawCertificate.Extension(Oids.Unknown, true, [0x05, 0x00])));
        yield return Case("subjectAltName empty sequence", c => c.Extensions.Add(RawCertificate.Extension(Oids.SubjectAlternativeName, false, [0x30, 0x00])));
        yield return Case("subjectAltName garbage", c => c.Extensions.Add(RawCertificate.Extension(Oids.SubjectAlternativeName, false, [0x30, 0x05, 0x82, 0x09, 0x61])));
        yield return Case("subjectAltName otherName nested 500 deep", c => c.Extensions.Add(RawCertificate.Extension(Oids.SubjectAlternativeName, false, DeeplyNestedOtherName(500))));
        yield return Case("subjectAltName iPAddress of 5 octets", c => c.Extensions.Add(RawCertificate.Extension(Oids.SubjectAlternativeName, false, RawCertificate.Tlv(0x30, RawCertificate.Tlv(0x87, [127, 0, 0, 1, 1])))));
        yield return Case("subjectAltName dNSName with NUL", c => c.Extensions.Add(RawCertificate.Extension(Oids.SubjectAlternativeName, false, RawCertificate.Tlv(0x30, RawCertificate.Tlv(0x82, Encoding.ASCII.GetBytes("good.test\0.evil.test"))))));
        yield return Case("subjectAltName URI with control characters", c => c.Extensions.Add(RawCertificate.Extension(Oids.SubjectAlternativeName, false, RawCertificate.Tlv(0x30, RawCertificate.Tlv(0x86, Encoding.ASCII.GetBytes("spiffe://x/\u001b[2J\r\nforged"))))));
        yield return Case("subjectAltName dNSName with high bytes", c => c.Extensions.Add(RawCertificate.Extension(Oids.SubjectAlternativeName, false, RawCertificate.Tlv(0x30, RawCertificate.Tlv(0x82, [0x61, 0xC3, 0xA9, 0x2E, 0x74])))));
        yield return Case("subjectAltName of 2000 names", c => c.Extensions.Add(RawCertificate.Extension(Oids.SubjectAlternativeName, false, RawCertificate.Tlv(0x30, Enumerable.Range(0, 2000).SelectMany(i => RawCertificate.Tlv(0x82, Encoding.ASCII.GetBytes($"n{i}.test"))).ToArray()))));
        yield return Case("basicConstraints garbage", c => ReplaceExtension(c, Oids.BasicConstraints, RawCertificate.Extension(Oids.BasicConstraints, true, [0x04, 0x01, 0x00])));
        yield return Case("keyUsage not a BIT STRING", c => ReplaceExtension(c, Oids.KeyUsage, RawCertificate.Extension(Oids.KeyUsage, true, [0x02, 0x01, 0x01])));
        yield return Case("extendedKeyUsage garbage", c => ReplaceExtension(c, Oids.ExtendedKeyUsage, RawCertificate.Extension(Oids.ExtendedKeyUsage, false, [0x30, 0x03, 0x06, 0x01])));
        yield return Case("authorityKeyIdentifier garbage", c => ReplaceExtension(c, Oids.AuthorityKeyIdentifier, RawCertificate.Extension(Oids.AuthorityKeyIdentifier, false, [0x30, 0x02, 0x80])));
        yield return Case("extension value not an OCTET STRING", c => c.Extensions.Add(RawCertificate.Tlv(0x30, [.. OidBytes(Oids.Unknown), .. RawCertificate.IntegerOf([0x01])])));
        yield return Case("extensions present but empty", c =>
        {
            c.Extensions.Clear();
            c.EmptyExtensionsField = true;
        });
    }

    private IEnumerable<(string, byte[])> Structure()
    {
        yield return Case("version 4 (value 3)", c => c.Version = [0xA0, 0x03, 0x02, 0x01, 0x03]);
        yield return Case("version 255", c => c.Version = [0xA0, 0x04, 0x02, 0x02, 0x00, 0xFF]);
        yield return Case("version 1 with extensions", c => c.Version = null);
        yield return Case("version 1 written explicitly", c => c.Version = [0xA0, 0x03, 0x02, 0x01, 0x00]);
        yield return Case("inner signature algorithm SHA-384, outer SHA-256", c => c.InnerSignatureAlgorithm = AlgorithmIdentifier("1.2.840.10045.4.3.3"));
        yield return Case("outer signature algorithm RSA", c => c.OuterSignatureAlgorithm = AlgorithmIdentifier("1.2.840.113549.1.1.11", withNull: true));
        yield return Case("both signature algorithms unknown", c => c.InnerSignatureAlgorithm = c.OuterSignatureAlgorithm = AlgorithmIdentifier(Oids.Unknown));
        yield return Case("public key of an unknown algorithm", c => c.PublicKeyInfo = RawCertificate.Sequence(w =>
        {
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(Oids.Unknown);
            }

            w.WriteBitString([1, 2, 3]);
        }));
        yield return Case("indefinite length inside the signed part", c => c.SubjectName = RawCertificate.Tlv(0x30, [0x31, 0x80, .. Content(CommonNameOf(Utf8String, "ber"u8.ToArray()))[2..], 0x00, 0x00]));
        yield return Case("long-form length inside the signed part", c => c.SubjectName = RawCertificate.Tlv(0x30, LongForm(Content(CommonNameOf(Utf8String, "long"u8.ToArray())))));
        yield return Case("constructed string inside the signed part", c => c.SubjectName = RawCertificate.Name((CommonName, 0x2C, RawCertificate.Tlv(Utf8String, "split"u8))));
        yield return Case("extension value with trailing bytes", c => ReplaceExtension(c, Oids.BasicConstraints, RawCertificate.Extension(Oids.BasicConstraints, true, [0x30, 0x00, 0x00, 0x00])));
        yield return Case("subjectAltName value with trailing bytes", c => c.Extensions.Add(RawCertificate.Extension(Oids.SubjectAlternativeName, false, [.. RawCertificate.Tlv(0x30, RawCertificate.Tlv(0x82, "a.test"u8)), 0x04, 0x00])));
        yield return Case("keyUsage value with a long-form length", c => ReplaceExtension(c, Oids.KeyUsage, RawCertificate.Extension(Oids.KeyUsage, true, [0x03, 0x81, 0x02, 0x07, 0x80])));
        yield return Case("unknown non-critical extension of 60000 octets", c => c.Extensions.Add(RawCertificate.Extension(Oids.Unknown, false, RawCertificate.Tlv(0x04, new byte[60_000]))));
        yield return Case("truncated by one octet", c => c.Mangle = der => der[..^1]);
        yield return Case("truncated in the middle", c => c.Mangle = der => der[..(der.Length / 2)]);
        yield return Case("outer length too long", c => c.Mangle = der => WithLengthDelta(der, 10));
        yield return Case("outer length too short", c => c.Mangle = der => WithLengthDelta(der, -10));
        yield return Case("indefinite length (BER)", c => c.Mangle = der => [0x30, 0x80, .. Content(der), 0x00, 0x00]);
        yield return Case("trailing bytes", c => c.Mangle = der => [.. der, 0x00, 0x01, 0x02]);
        yield return Case("only a tag", c => c.Mangle = _ => [0x30]);
    }

    private (string, byte[]) Case(string name, Action<RawCertificate> edit)
    {
        var certificate = New();
        edit(certificate);
        return (name, certificate.Encode());
    }

    private static void ReplaceExtension(RawCertificate certificate, string oid, byte[] replacement)
    {
        var index = certificate.Extensions.FindIndex(extension => new AsnReader(extension, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier() == oid);
        certificate.Extensions[index] = replacement;
    }

    private static byte[] CommonNameOf(byte tag, byte[] value) => RawCertificate.Name((CommonName, tag, value));

    private static byte[] OidBytes(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        return writer.Encode();
    }

    private static byte[] AlgorithmIdentifier(string oid, bool withNull = false) => RawCertificate.Sequence(w =>
    {
        w.WriteObjectIdentifier(oid);
        if (withNull)
        {
            w.WriteNull();
        }
    });

    private static byte[] DeeplyNestedOtherName(int depth)
    {
        byte[] inner = RawCertificate.Tlv(0x0C, "x"u8);
        for (var level = 0; level < depth; level++)
        {
            inner = RawCertificate.Tlv(0x30, inner);
        }

        return RawCertificate.Tlv(0x30, RawCertificate.Tlv(0xA0, [.. OidBytes("1.3.6.1.4.1.311.20.2.3"), .. RawCertificate.Tlv(0xA0, inner)]));
    }

    private static byte[] Content(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        return reader.PeekContentBytes().ToArray();
    }

    /// <summary>A SET (short length) rewritten with its length in the long form (0x81 n), which DER forbids below 128.</summary>
    private static byte[] LongForm(byte[] set) => [0x31, 0x81, (byte)(set.Length - 2), .. set[2..]];

    private static byte[] WithLengthDelta(byte[] der, int delta)
    {
        var content = Content(der);
        return [.. RawCertificate.Header(0x30, content.Length + delta), .. content];
    }
}
