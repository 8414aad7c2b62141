using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Tests.Revocation.Crl;

/// <summary>A certificate authority made for one test: CertificateRequest-built, ECDSA P-256 unless told otherwise.</summary>
internal sealed class TestCa : IDisposable
{
    private static readonly DateTimeOffset NotBefore = DateTimeOffset.UtcNow.AddDays(-30);
    private static readonly DateTimeOffset NotAfter = DateTimeOffset.UtcNow.AddYears(2);

    private TestCa(X509Certificate2 certificate, TestCa? parent)
    {
        Certificate = certificate;
        Parent = parent;
    }

    public X509Certificate2 Certificate { get; }

    public TestCa? Parent { get; }

    public X500DistinguishedName Name => Certificate.SubjectName;

    public static TestCa CreateRoot(string commonName, X509KeyUsageFlags usage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, bool rsa = false)
    {
        var request = CaRequest(commonName, usage, rsa, out _);
        return new TestCa(request.CreateSelfSigned(NotBefore, NotAfter), null);
    }

    public TestCa CreateIntermediate(string commonName, X509KeyUsageFlags usage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, byte[]? serial = null, IEnumerable<X509Extension>? extensions = null)
    {
        var request = CaRequest(commonName, usage, rsa: false, out var key);
        foreach (var extension in extensions ?? [])
        {
            request.CertificateExtensions.Add(extension);
        }

        using var issued = request.Create(Certificate.SubjectName, SignatureGenerator(), NotBefore, NotAfter, serial ?? RandomSerial());
        return new TestCa(issued.WithPrivateKey(key), this);
    }

    /// <summary>
    /// Key rollover: a new key for this CA, under the same name. The new key's certificate is self-issued, signed by
    /// this (old) key ("new with old", RFC 4210 style); the result signs with the new key.
    /// </summary>
    public TestCa RollOver(IEnumerable<X509Extension>? extensions = null)
    {
        var request = CaRequest("unused", X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, rsa: false, out var key);
        var named = new CertificateRequest(Name, (ECDsa)key, HashAlgorithmName.SHA256);
        foreach (var extension in request.CertificateExtensions.Concat(extensions ?? []))
        {
            named.CertificateExtensions.Add(extension);
        }

        named.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var issued = named.Create(Certificate.SubjectName, SignatureGenerator(), NotBefore, NotAfter, RandomSerial());
        return new TestCa(issued.WithPrivateKey(key), Parent);
    }

    /// <summary>A separate CRL-signing certificate for <paramref name="ca"/>: same name, own key, certified by this CA.</summary>
    public X509Certificate2 IssueCrlSigner(TestCa ca, byte[]? serial = null) => IssueCrlSigner(ca.Name, serial);

    /// <summary>A CRL-signing certificate (not a CA: cRLSign only) named <paramref name="subject"/>, certified by this CA.</summary>
    public X509Certificate2 IssueCrlSigner(X500DistinguishedName subject, byte[]? serial = null, IEnumerable<X509Extension>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        foreach (var extension in extensions ?? [])
        {
            request.CertificateExtensions.Add(extension);
        }

        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var issued = request.Create(Certificate.SubjectName, SignatureGenerator(), NotBefore, NotAfter, serial ?? RandomSerial());
        return issued.CopyWithPrivateKey(key);
    }

    public X509Certificate2 IssueLeaf(string commonName, byte[]? serial = null, string? crlDistributionPoint = null, IEnumerable<X509Extension>? extensions = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (crlDistributionPoint is not null)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlDistributionPoint]));
        }

        foreach (var extension in extensions ?? [])
        {
            request.CertificateExtensions.Add(extension);
        }

        return request.Create(Certificate.SubjectName, SignatureGenerator(), NotBefore, NotAfter, serial ?? RandomSerial());
    }

    public X509SignatureGenerator SignatureGenerator() =>
        Certificate.GetECDsaPrivateKey() is { } ecdsa
            ? X509SignatureGenerator.CreateForECDsa(ecdsa)
            : X509SignatureGenerator.CreateForRSA(Certificate.GetRSAPrivateKey()!, RSASignaturePadding.Pkcs1);

    public void Dispose() => Certificate.Dispose();

    public static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }

    private static CertificateRequest CaRequest(string commonName, X509KeyUsageFlags usage, bool rsa, out AsymmetricAlgorithm key)
    {
        CertificateRequest request;
        if (rsa)
        {
            var rsaKey = RSA.Create(2048);
            key = rsaKey;
            request = new CertificateRequest($"CN={commonName}", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        else
        {
            var ecKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            key = ecKey;
            request = new CertificateRequest($"CN={commonName}", ecKey, HashAlgorithmName.SHA256);
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request;
    }
}

internal static class TestCaKeys
{
    public static X509Certificate2 WithPrivateKey(this X509Certificate2 certificate, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        _ => throw new ArgumentException("unsupported key", nameof(key)),
    };
}

/// <summary>One entry for <see cref="TestCrlWriter"/>: serial as INTEGER content octets.</summary>
internal sealed record TestCrlEntry(
    byte[] Serial,
    DateTimeOffset RevokedAt,
    X509RevocationReason? Reason = null,
    DateTimeOffset? InvalidityDate = null,
    X509Extension? ExtraExtension = null,
    X500DistinguishedName? CertificateIssuer = null);

/// <summary>
/// Writes CRLs with AsnWriter, for what CertificateRevocationListBuilder will not produce: unknown critical
/// extensions, removeFromCRL, negative serials, delta indicators, arbitrary times.
/// </summary>
internal static class TestCrlWriter
{
    public static byte[] Write(
        X500DistinguishedName issuer,
        X509SignatureGenerator signer,
        DateTimeOffset thisUpdate,
        DateTimeOffset? nextUpdate,
        IEnumerable<TestCrlEntry> entries,
        IEnumerable<X509Extension>? extensions = null,
        HashAlgorithmName? hash = null)
    {
        var hashAlgorithm = hash ?? HashAlgorithmName.SHA256;
        var algorithm = signer.GetSignatureAlgorithmIdentifier(hashAlgorithm);
        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            tbs.WriteInteger(1);
            tbs.WriteEncodedValue(algorithm);
            tbs.WriteEncodedValue(issuer.RawData);
            tbs.WriteUtcTime(thisUpdate);
            if (nextUpdate is { } next)
            {
                tbs.WriteUtcTime(next);
            }

            var entryList = entries.ToList();
            if (entryList.Count > 0)
            {
                using (tbs.PushSequence())
                {
                    foreach (var entry in entryList)
                    {
                        WriteEntry(tbs, entry);
                    }
                }
            }

            var extensionList = extensions?.ToList() ?? [];
            if (extensionList.Count > 0)
            {
                using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    WriteExtensions(tbs, extensionList);
                }
            }
        }

        var toBeSigned = tbs.Encode();
        var signature = signer.SignData(toBeSigned, hashAlgorithm);
        var crl = new AsnWriter(AsnEncodingRules.DER);
        using (crl.PushSequence())
        {
            crl.WriteEncodedValue(toBeSigned);
            crl.WriteEncodedValue(algorithm);
            crl.WriteBitString(signature);
        }

        return crl.Encode();
    }

    public static X509Extension CrlNumber(int number)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteInteger(number);
        return new X509Extension("2.5.29.20", writer.Encode(), critical: false);
    }

    /// <summary>A CRL number given as INTEGER content octets (to write numbers beyond what an int holds).</summary>
    public static X509Extension CrlNumber(byte[] integerOctets)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteInteger(integerOctets);
        return new X509Extension("2.5.29.20", writer.Encode(), critical: false);
    }

    public static X509Extension DeltaCrlIndicator(int baseNumber)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteInteger(baseNumber);
        return new X509Extension("2.5.29.27", writer.Encode(), critical: true);
    }

    /// <summary>A deltaCRLIndicator whose BaseCRLNumber is given as INTEGER content octets.</summary>
    public static X509Extension DeltaCrlIndicator(byte[] baseNumberOctets)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteInteger(baseNumberOctets);
        return new X509Extension("2.5.29.27", writer.Encode(), critical: true);
    }

    /// <summary>freshestCRL naming one URI: this complete CRL announces delta CRLs.</summary>
    public static X509Extension FreshestCrl(string uri) => new("2.5.29.46", TestDistributionPoints.Extension(new TestDistributionPoint(Uri: uri)).RawData, critical: false);

    /// <summary>issuingDistributionPoint: a distribution point name (URI, directory name or relative name) and the scope flags.</summary>
    public static X509Extension IssuingDistributionPoint(
        string? uri,
        bool onlyCaCertificates = false,
        bool onlyUserCertificates = false,
        X509RevocationReason[]? onlySomeReasons = null,
        bool indirect = false,
        bool onlyAttributeCertificates = false,
        string? relativeName = null,
        X500DistinguishedName? directoryName = null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            if (uri is not null || relativeName is not null || directoryName is not null)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    TestDistributionPoints.WriteName(writer, uri, directoryName, relativeName);
                }
            }

            if (onlyUserCertificates)
            {
                writer.WriteBoolean(true, new Asn1Tag(TagClass.ContextSpecific, 1));
            }

            if (onlyCaCertificates)
            {
                writer.WriteBoolean(true, new Asn1Tag(TagClass.ContextSpecific, 2));
            }

            if (onlySomeReasons is not null)
            {
                TestDistributionPoints.WriteReasons(writer, onlySomeReasons, new Asn1Tag(TagClass.ContextSpecific, 3));
            }

            if (indirect)
            {
                writer.WriteBoolean(true, new Asn1Tag(TagClass.ContextSpecific, 4));
            }

            if (onlyAttributeCertificates)
            {
                writer.WriteBoolean(true, new Asn1Tag(TagClass.ContextSpecific, 5));
            }
        }

        return new X509Extension("2.5.29.28", writer.Encode(), critical: true);
    }

    public static X509Extension Unknown(bool critical) => new("1.3.6.1.4.1.99999.1", [0x05, 0x00], critical);

    private static void WriteEntry(AsnWriter writer, TestCrlEntry entry)
    {
        using (writer.PushSequence())
        {
            writer.WriteInteger(entry.Serial);
            writer.WriteUtcTime(entry.RevokedAt);
            var extensions = new List<X509Extension>();
            if (entry.Reason is { } reason)
            {
                var value = new AsnWriter(AsnEncodingRules.DER);
                value.WriteEnumeratedValue(reason);
                extensions.Add(new X509Extension("2.5.29.21", value.Encode(), critical: false));
            }

            if (entry.InvalidityDate is { } invalidity)
            {
                var value = new AsnWriter(AsnEncodingRules.DER);
                value.WriteGeneralizedTime(invalidity, omitFractionalSeconds: true);
                extensions.Add(new X509Extension("2.5.29.24", value.Encode(), critical: false));
            }

            if (entry.ExtraExtension is { } extra)
            {
                extensions.Add(extra);
            }

            if (entry.CertificateIssuer is { } certificateIssuer)
            {
                var value = new AsnWriter(AsnEncodingRules.DER);
                using (value.PushSequence())
                {
                    TestDistributionPoints.WriteDirectoryName(value, certificateIssuer);
                }

                extensions.Add(new X509Extension("2.5.29.29", value.Encode(), critical: true));
            }

            if (extensions.Count > 0)
            {
                WriteExtensions(writer, extensions);
            }
        }
    }

    private static void WriteExtensions(AsnWriter writer, List<X509Extension> extensions)
    {
        using (writer.PushSequence())
        {
            foreach (var extension in extensions)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(extension.Oid!.Value!);
                    if (extension.Critical)
                    {
                        writer.WriteBoolean(true);
                    }

                    writer.WriteOctetString(extension.RawData);
                }
            }
        }
    }
}
