using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.DevelopmentMode;

/// <summary>
/// A small in-process CA built on CertificateRequest: the Development PKI and the tests issue their certificates with it.
/// Keys are EC P-256.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    public const string ClientAuthOid = Validation.Certificates.Oids.ClientAuthentication;
    public const string ServerAuthOid = Validation.Certificates.Oids.ServerAuthentication;

    private CertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static CertificateAuthority CreateRoot(string subject, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CaRequest(subject, key);
        var certificate = request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(10));
        return new CertificateAuthority(certificate);
    }

    /// <summary>Wraps an existing CA certificate that carries its private key (the dev PKI's CA on later runs).</summary>
    public static CertificateAuthority FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new CertificateAuthority(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null));
    }

    /// <summary>A subordinate CA issued by this one.</summary>
    public CertificateAuthority CreateIntermediate(string subject, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CaRequest(subject, key);
        using var issued = request.Create(Certificate, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? Certificate.NotAfter.AddDays(-1), NewSerial());
        return new CertificateAuthority(issued.CopyWithPrivateKey(key));
    }

    /// <summary>Issues an end-entity certificate. <paramref name="extendedKeyUsages"/> null means no EKU extension.</summary>
    public X509Certificate2 Issue(
        string subject,
        IEnumerable<string>? extendedKeyUsages,
        IEnumerable<string>? dnsNames = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        Action<CertificateRequest>? customize = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (extendedKeyUsages is not null)
        {
            var oids = new OidCollection();
            foreach (var oid in extendedKeyUsages)
            {
                oids.Add(new Oid(oid));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        }

        if (dnsNames is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                if (System.Net.IPAddress.TryParse(name, out var address))
                {
                    names.AddIpAddress(address);
                }
                else
                {
                    names.AddDnsName(name);
                }
            }

            request.CertificateExtensions.Add(names.Build());
        }

        customize?.Invoke(request);
        var from = notBefore ?? DateTimeOffset.UtcNow.AddHours(-1);
        var to = notAfter ?? Earliest(DateTimeOffset.UtcNow.AddYears(1), new DateTimeOffset(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        using var issued = request.Create(Certificate, from, to, NewSerial());
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A CRL signed by this CA listing <paramref name="revoked"/>, valid from an hour ago until <paramref name="nextUpdate"/>.</summary>
    public byte[] CreateCrl(IEnumerable<X509Certificate2> revoked, DateTimeOffset nextUpdate, X509RevocationReason reason = X509RevocationReason.KeyCompromise, DateTimeOffset? thisUpdate = null)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        var builder = new CertificateRevocationListBuilder();
        var from = thisUpdate ?? DateTimeOffset.UtcNow.AddHours(-1);
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate, from, reason);
        }

        // The CRL number only has to grow from one CRL to the next.
        return builder.Build(Certificate, new System.Numerics.BigInteger(DateTimeOffset.UtcNow.UtcTicks), nextUpdate, HashAlgorithmName.SHA256, null, from);
    }

    public void Dispose() => Certificate.Dispose();

    private static CertificateRequest CaRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive INTEGER
        return serial;
    }
}
