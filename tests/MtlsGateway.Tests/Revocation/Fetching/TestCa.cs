using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Tests.Revocation.Fetching;

/// <summary>A CA made with CertificateRequest that issues client certificates with chosen CRL distribution points.</summary>
internal sealed class TestCa : IDisposable
{
    private readonly RSA key = RSA.Create(2048);
    private long serial = 0x2000;

    public TestCa()
    {
        var request = new CertificateRequest("CN=CDP Test CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2 Issue(params string[] crlUrls)
    {
        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=cdp client " + serial, clientKey, HashAlgorithmName.SHA256);
        if (crlUrls.Length > 0)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(crlUrls));
        }

        var serialBytes = BitConverter.GetBytes(Interlocked.Increment(ref serial));
        Array.Reverse(serialBytes);
        var signer = X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1);
        using var issued = request.Create(Certificate.SubjectName, signer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), serialBytes.AsSpan(6));
        return X509CertificateLoader.LoadCertificate(issued.RawData);
    }

    public byte[] Crl(TimeSpan lifetime, params X509Certificate2[] revoked)
        => TestCrls.Build(Certificate, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow + lifetime, revoked);

    public void Dispose()
    {
        Certificate.Dispose();
        key.Dispose();
    }
}
