using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>
/// The tests' certificate authority, built on CertificateRequest: roots, intermediates to any depth, end-entity
/// certificates and CRLs, each shaped by a <see cref="CertificateProfile"/> or <see cref="CrlProfile"/>.
/// Defaults: EC P-256 keys, SHA-256 signatures, CAs valid from 30 days ago for 5 years, end entities from an hour ago
/// for a year (never past their issuer), random positive serials.
/// </summary>
public sealed class TestCa : IDisposable
{
    private static long crlNumbers = DateTimeOffset.UtcNow.UtcTicks;

    private TestCa(X509Certificate2 certificate, TestCa? parent)
    {
        Certificate = certificate;
        Parent = parent;
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The issuing CA, or null for a root.</summary>
    public TestCa? Parent { get; }

    public X500DistinguishedName Name => Certificate.SubjectName;

    /// <summary>The CA certificate without its private key, as a client would send it in a handshake.</summary>
    public X509Certificate2 PublicCertificate => X509CertificateLoader.LoadCertificate(Certificate.RawData);

    /// <summary>This CA and the ones above it, this one first, the root last.</summary>
    public IReadOnlyList<X509Certificate2> ChainToRoot
    {
        get
        {
            var chain = new List<X509Certificate2>();
            for (var ca = this; ca is not null; ca = ca.Parent)
            {
                chain.Add(ca.Certificate);
            }

            return chain;
        }
    }

    public static TestCa CreateRoot(string subject, Action<CertificateProfile>? configure = null)
    {
        var profile = CaProfile(configure);
        using var key = profile.Key.Create();
        var publicKey = new PublicKey(key);
        var request = Request(subject, publicKey, profile, issuer: null);
        using var certificate = request.Create(
            request.SubjectName,
            SignatureGenerators.For(key, profile.SignatureHash, profile.RsaPadding),
            profile.NotBefore ?? DateTimeOffset.UtcNow.AddDays(-30),
            profile.NotAfter ?? DateTimeOffset.UtcNow.AddYears(5),
            profile.Serial ?? NewSerial());
        return new TestCa(WithKey(certificate, key), null);
    }

    /// <summary>
    /// Wraps a certificate that carries its private key as an issuer: an existing CA, or a certificate that is no CA at
    /// all, to build the path an attacker would (the signatures here never ask whether the issuer may issue).
    /// </summary>
    public static TestCa From(X509Certificate2 certificate, TestCa? parent = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"'{certificate.Subject}' carries no private key", nameof(certificate));
        }

        return new TestCa(certificate, parent);
    }

    /// <summary>A root and <paramref name="intermediates"/> CAs below it, each issuing the next; returns the lowest.</summary>
    public static TestCa CreateChain(string name, int intermediates, Action<int, CertificateProfile>? configure = null)
    {
        var ca = CreateRoot($"CN={name} Root CA", profile => configure?.Invoke(0, profile));
        for (var level = 1; level <= intermediates; level++)
        {
            var depth = level;
            ca = ca.CreateIntermediate($"CN={name} CA {level}", profile => configure?.Invoke(depth, profile));
        }

        return ca;
    }

    public TestCa CreateIntermediate(string subject, Action<CertificateProfile>? configure = null)
    {
        var profile = CaProfile(configure);
        profile.NotBefore ??= DateTimeOffset.UtcNow.AddDays(-30);
        profile.NotAfter ??= Earliest(DateTimeOffset.UtcNow.AddYears(5), Certificate.NotAfter);
        return new TestCa(IssueWithKey(subject, profile), this);
    }

    /// <summary>An end-entity certificate with its private key (clientAuth unless the profile says otherwise).</summary>
    public X509Certificate2 Issue(string subject, Action<CertificateProfile>? configure = null) =>
        Issue(new X500DistinguishedName(subject), configure);

    /// <summary>The same, for a name built attribute by attribute (values no string form can carry, such as a trailing space).</summary>
    public X509Certificate2 Issue(X500DistinguishedName subject, Action<CertificateProfile>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var profile = new CertificateProfile(isCa: false);
        configure?.Invoke(profile);
        return IssueWithKey(subject.Name, profile, subject);
    }

    /// <summary>Certifies the key of a certificate signing request (enrollment, a token key): no private key here.</summary>
    public X509Certificate2 Sign(CertificateRequest request, Action<CertificateProfile>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var profile = new CertificateProfile(isCa: false) { PublicKey = request.PublicKey };
        configure?.Invoke(profile);
        return IssueWithKey(request.SubjectName.Name, profile, request.SubjectName);
    }

    /// <summary>A signed CRL in DER: this CA's name, its key unless <see cref="CrlProfile.Signer"/> says otherwise.</summary>
    public byte[] CreateCrl(Action<CrlProfile>? configure = null)
    {
        var profile = new CrlProfile { Number = Interlocked.Increment(ref crlNumbers) };
        configure?.Invoke(profile);
        return CrlWriter.Write(Name, profile.Signer ?? Certificate, profile);
    }

    /// <summary>
    /// A signed CRL in DER under any issuer name, signed by <paramref name="signer"/> (with its private key): the CRL of
    /// an indirect CRL issuer or a separate CRL signer that is no TestCa, or a forgery.
    /// </summary>
    public static byte[] CreateCrl(X500DistinguishedName issuer, X509Certificate2 signer, Action<CrlProfile>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(signer);
        var profile = new CrlProfile { Number = Interlocked.Increment(ref crlNumbers) };
        configure?.Invoke(profile);
        return CrlWriter.Write(issuer, profile.Signer ?? signer, profile);
    }

    /// <summary>A CRL of this CA listing <paramref name="revoked"/> (revoked at thisUpdate), with <paramref name="reason"/> on each entry.</summary>
    public byte[] CreateCrl(IEnumerable<X509Certificate2> revoked, X509RevocationReason? reason = X509RevocationReason.KeyCompromise, Action<CrlProfile>? configure = null) =>
        CreateCrl(profile =>
        {
            configure?.Invoke(profile);
            foreach (var certificate in revoked)
            {
                profile.Revoke(certificate, reason);
            }
        });

    public X509SignatureGenerator SignatureGenerator(HashAlgorithmName? hash = null, RSASignaturePadding? padding = null) =>
        SignatureGenerators.For(Certificate, hash ?? HashAlgorithmName.SHA256, padding);

    public void Dispose() => Certificate.Dispose();

    /// <summary>A positive serial of 16 octets whose first octet is never 0: a minimal DER INTEGER.</summary>
    public static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }

    internal static byte[] KeyIdentifierOf(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.ToArray()
        ?? new X509SubjectKeyIdentifierExtension(certificate.PublicKey, critical: false).SubjectKeyIdentifierBytes.ToArray();

    private X509Certificate2 IssueWithKey(string subject, CertificateProfile profile, X500DistinguishedName? subjectName = null)
    {
        using var key = profile.PublicKey is null ? profile.Key.Create() : null;
        var publicKey = profile.PublicKey ?? new PublicKey(key!);
        var request = Request(subject, publicKey, profile, Certificate, subjectName);
        var notBefore = profile.NotBefore ?? DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = profile.NotAfter ?? Earliest(DateTimeOffset.UtcNow.AddYears(1), Certificate.NotAfter);
        var issued = request.Create(Name, SignatureGenerator(profile.SignatureHash, profile.RsaPadding), notBefore, notAfter, profile.Serial ?? NewSerial());
        if (key is null)
        {
            return issued;
        }

        using (issued)
        {
            return WithKey(issued, key);
        }
    }

    private static CertificateProfile CaProfile(Action<CertificateProfile>? configure)
    {
        var profile = new CertificateProfile(isCa: true);
        configure?.Invoke(profile);
        return profile;
    }

    private static CertificateRequest Request(string subject, PublicKey publicKey, CertificateProfile profile, X509Certificate2? issuer, X500DistinguishedName? subjectName = null)
    {
        var request = new CertificateRequest(subjectName ?? new X500DistinguishedName(subject), publicKey, profile.SignatureHash);
        foreach (var extension in profile.BuildExtensions(publicKey, issuer))
        {
            request.CertificateExtensions.Add(extension);
        }

        profile.Customize?.Invoke(request);
        return request;
    }

    private static X509Certificate2 WithKey(X509Certificate2 certificate, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        DSA dsa => certificate.CopyWithPrivateKey(dsa),
        _ => throw new NotSupportedException(key.GetType().Name),
    };

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTime b)
    {
        var other = new DateTimeOffset(b.ToUniversalTime(), TimeSpan.Zero);
        return a < other ? a : other;
    }
}
