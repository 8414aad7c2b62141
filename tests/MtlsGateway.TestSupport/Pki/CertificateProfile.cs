using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>
/// What <see cref="TestCa"/> puts into one certificate. Starts from the defaults of its kind (CA or end entity); a test
/// changes only what it is about. Null collections and flags leave an extension out.
/// </summary>
public sealed class CertificateProfile
{
    internal CertificateProfile(bool isCa)
    {
        IsCa = isCa;
        KeyUsage = isCa
            ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature
            : X509KeyUsageFlags.DigitalSignature;
        ExtendedKeyUsages = isCa ? null : [Oids.ClientAuth];
    }

    /// <summary>The subject's key; ignored when <see cref="PublicKey"/> is given.</summary>
    public KeySpec Key { get; set; } = KeySpec.EcP256;

    /// <summary>A public key to certify instead of a new key pair (a CSR's, a token's); the result has no private key.</summary>
    public PublicKey? PublicKey { get; set; }

    /// <summary>The hash of the issuer's signature (MD5 and SHA-1 included, for weak-crypto tests).</summary>
    public HashAlgorithmName SignatureHash { get; set; } = HashAlgorithmName.SHA256;

    /// <summary>RSA issuers only: PSS instead of PKCS#1 v1.5.</summary>
    public RSASignaturePadding? RsaPadding { get; set; }

    public DateTimeOffset? NotBefore { get; set; }

    public DateTimeOffset? NotAfter { get; set; }

    /// <summary>The serial as DER INTEGER content octets; a random positive 16-octet one when null.</summary>
    public byte[]? Serial { get; set; }

    public bool IsCa { get; set; }

    /// <summary>Whether basicConstraints is present at all.</summary>
    public bool BasicConstraints { get; set; } = true;

    public bool BasicConstraintsCritical { get; set; } = true;

    public int? PathLength { get; set; }

    public X509KeyUsageFlags? KeyUsage { get; set; }

    public bool KeyUsageCritical { get; set; } = true;

    public IList<string>? ExtendedKeyUsages { get; set; }

    public IList<GeneralName> SubjectAlternativeNames { get; } = [];

    public IList<string> CrlDistributionPoints { get; } = [];

    public IList<string> OcspUrls { get; } = [];

    public IList<string> CaIssuerUrls { get; } = [];

    public IList<string> Policies { get; } = [];

    public IList<(string IssuerDomainPolicy, string SubjectDomainPolicy)> PolicyMappings { get; } = [];

    public int? RequireExplicitPolicy { get; set; }

    public int? InhibitPolicyMapping { get; set; }

    public int? InhibitAnyPolicy { get; set; }

    public IList<GeneralSubtree> PermittedSubtrees { get; } = [];

    public IList<GeneralSubtree> ExcludedSubtrees { get; } = [];

    public bool SubjectKeyIdentifier { get; set; } = true;

    public bool AuthorityKeyIdentifier { get; set; } = true;

    /// <summary>Any further extension, added as given (after the ones above).</summary>
    public IList<X509Extension> Extensions { get; } = [];

    /// <summary>The last word on the request, for what no property covers.</summary>
    public Action<CertificateRequest>? Customize { get; set; }

    public CertificateProfile Valid(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        NotBefore = notBefore;
        NotAfter = notAfter;
        return this;
    }

    public CertificateProfile Dns(params string[] names) => Names(names.Select(GeneralName.Dns));

    public CertificateProfile Ip(params IPAddress[] addresses) => Names(addresses.Select(GeneralName.Ip));

    public CertificateProfile Uri(params string[] uris) => Names(uris.Select(GeneralName.Uri));

    public CertificateProfile Email(params string[] addresses) => Names(addresses.Select(GeneralName.Email));

    public CertificateProfile AddPolicies(params string[] policyOids)
    {
        foreach (var oid in policyOids)
        {
            Policies.Add(oid);
        }

        return this;
    }

    public CertificateProfile AddPolicyMappings(params (string IssuerDomainPolicy, string SubjectDomainPolicy)[] mappings)
    {
        foreach (var mapping in mappings)
        {
            PolicyMappings.Add(mapping);
        }

        return this;
    }

    /// <summary>A separate CRL-signing certificate: cRLSign only, no basicConstraints, no extended key usage.</summary>
    public CertificateProfile CrlSigner()
    {
        BasicConstraints = false;
        KeyUsage = X509KeyUsageFlags.CrlSign;
        ExtendedKeyUsages = null;
        return this;
    }

    /// <summary>serverAuth for localhost and 127.0.0.1, as a loopback server needs.</summary>
    public CertificateProfile LoopbackServer()
    {
        ExtendedKeyUsages = [Oids.ServerAuth];
        return Dns("localhost").Ip(IPAddress.Loopback);
    }

    internal IEnumerable<X509Extension> BuildExtensions(PublicKey subjectKey, X509Certificate2? issuer)
    {
        if (BasicConstraints)
        {
            yield return new X509BasicConstraintsExtension(IsCa, PathLength is not null, PathLength ?? 0, BasicConstraintsCritical);
        }

        if (KeyUsage is { } usage)
        {
            yield return new X509KeyUsageExtension(usage, KeyUsageCritical);
        }

        if (ExtendedKeyUsages is { } usages)
        {
            var oids = new OidCollection();
            foreach (var oid in usages)
            {
                oids.Add(new Oid(oid));
            }

            yield return new X509EnhancedKeyUsageExtension(oids, critical: false);
        }

        var subjectKeyIdentifier = new X509SubjectKeyIdentifierExtension(subjectKey, critical: false);
        if (SubjectKeyIdentifier)
        {
            yield return subjectKeyIdentifier;
        }

        if (AuthorityKeyIdentifier && issuer is not null)
        {
            yield return X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(TestCa.KeyIdentifierOf(issuer));
        }

        if (SubjectAlternativeNames.Count > 0)
        {
            yield return TestExtensions.SubjectAlternativeName(SubjectAlternativeNames);
        }

        if (CrlDistributionPoints.Count > 0)
        {
            yield return CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(CrlDistributionPoints);
        }

        if (OcspUrls.Count > 0 || CaIssuerUrls.Count > 0)
        {
            yield return new X509AuthorityInformationAccessExtension(OcspUrls, CaIssuerUrls);
        }

        if (Policies.Count > 0)
        {
            yield return TestExtensions.CertificatePolicies(Policies);
        }

        if (PolicyMappings.Count > 0)
        {
            yield return TestExtensions.PolicyMappings(PolicyMappings);
        }

        if (RequireExplicitPolicy is not null || InhibitPolicyMapping is not null)
        {
            yield return TestExtensions.PolicyConstraints(RequireExplicitPolicy, InhibitPolicyMapping);
        }

        if (InhibitAnyPolicy is { } skipCerts)
        {
            yield return TestExtensions.InhibitAnyPolicy(skipCerts);
        }

        if (PermittedSubtrees.Count > 0 || ExcludedSubtrees.Count > 0)
        {
            yield return TestExtensions.NameConstraints([.. PermittedSubtrees], [.. ExcludedSubtrees]);
        }

        foreach (var extension in Extensions)
        {
            yield return extension;
        }
    }

    private CertificateProfile Names(IEnumerable<GeneralName> names)
    {
        foreach (var name in names)
        {
            SubjectAlternativeNames.Add(name);
        }

        return this;
    }
}
