using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Benchmarks;

/// <summary>The chain the benchmarks judge: ECDSA P-256 root → intermediate → client leaf (clientAuth), made in memory.</summary>
public sealed class BenchmarkChain : IDisposable
{
    public BenchmarkChain(string leafSubject = "CN=bench-client")
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Root = Ca("CN=Bench Root", rootKey).CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediatePublic = Ca("CN=Bench Issuing", intermediateKey).Create(Root, now.AddDays(-1), now.AddYears(4), [1, 2]);
        Intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest(leafSubject, leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));
        Leaf = leafRequest.Create(Intermediate, now.AddDays(-1), now.AddYears(1), [3, 4]);
        IntermediatePublic = X509CertificateLoader.LoadCertificate(Intermediate.RawData);
    }

    /// <summary>With its private key (it signs CRLs).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>With its private key (it signs CRLs).</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>The intermediate as a client sends it: the certificate alone.</summary>
    public X509Certificate2 IntermediatePublic { get; }

    public X509Certificate2 Leaf { get; }

    public void Dispose()
    {
        Leaf.Dispose();
        IntermediatePublic.Dispose();
        Intermediate.Dispose();
        Root.Dispose();
    }

    private static CertificateRequest Ca(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }
}
