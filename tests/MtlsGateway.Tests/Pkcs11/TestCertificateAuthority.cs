using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Tests.Pkcs11;

/// <summary>A software CA for tests: issues client and server certificates from requests.</summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private int issued;

    private TestCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    public X509Certificate2 Certificate { get; }

    public static TestCertificateAuthority Create(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificateAuthority(request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1)));
    }

    public X509Certificate2 IssueClientCertificate(CertificateRequest request, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        // Big-endian after a leading 01: positive, with no redundant leading byte (a minimal DER INTEGER, as RFC 5280 requires).
        var serial = new byte[9];
        serial[0] = 0x01;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(serial.AsSpan(1), Interlocked.Increment(ref issued));
        var now = DateTimeOffset.UtcNow;
        // The generator overload lets an EC CA sign RSA subject keys as well.
        using var caKey = Certificate.GetECDsaPrivateKey()!;
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore ?? now.AddMinutes(-5), notAfter ?? now.AddDays(30), serial);
    }

    public void Dispose() => Certificate.Dispose();
}
