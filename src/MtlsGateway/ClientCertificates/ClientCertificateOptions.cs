using System.ComponentModel.DataAnnotations;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Crypto;
using MtlsGateway.Validation.Policies;

namespace MtlsGateway.ClientCertificates;

/// <summary>Settings under <c>Gateway:ClientCertificates</c>: what a client certificate must satisfy.</summary>
public sealed class ClientCertificateOptions
{
    public const string SectionName = "Gateway:ClientCertificates";

    /// <summary>Trust anchors: files (PEM bundles or DER) or folders of them. Relative paths resolve against the content root.</summary>
    public List<string> TrustedCaFiles { get; } = [];

    /// <summary>Intermediate CA certificates to complete chains that clients send incompletely.</summary>
    public List<string> IntermediateFiles { get; } = [];

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Every certificate of the path below the trust anchor that carries an extendedKeyUsage extension must list
    /// clientAuth or anyExtendedKeyUsage. A certificate without the extension is not restricted (RFC 5280 4.2.1.12).
    /// </summary>
    public bool RequireClientAuthEku { get; set; } = true;

    /// <summary>The client's own certificate must carry an extendedKeyUsage extension (checked as above).</summary>
    public bool RequireEkuExtension { get; set; }

    /// <summary>The smallest RSA or DSA key accepted in a client path and in the CRLs and OCSP answers relied on, in bits.</summary>
    public int MinimumKeySize { get; set; } = CryptoMinimums.DefaultMinimumKeySize;

    /// <summary>Whether SHA-1 signatures are accepted (MD2, MD4 and MD5 never are).</summary>
    public bool AllowSha1Signatures { get; set; }

    /// <summary>The RFC 5280 policy inputs.</summary>
    public CertificatePolicyOptions Policies { get; } = new();

    /// <summary>How often the trust files are re-read even when no file-system event arrived.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 10_000_000)]
    public int VerdictCacheSize { get; set; } = 10_000;

    public TimeSpan VerdictCacheLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most certificates a client may send in its handshake, its own included; more is refused before any chain is built.</summary>
    public int MaxChainCertificates { get; set; } = 10;

    /// <summary>
    /// The most bytes of TLS records a client may send before its handshake completes (its certificates are most of
    /// them). In TLS 1.3 the certificates are encrypted, so this is what bounds how many SslStream parses and builds
    /// a chain with before the gateway's callback can count them.
    /// </summary>
    public int MaxHandshakeBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// Memory for the certificates clients sent in full handshakes, which their resumed sessions (which send none) are
    /// judged with, in bytes.
    /// </summary>
    public long SessionChainMemoryBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The path validation these settings ask for, for client certificates.</summary>
    public PathValidationPolicy ToPathValidationPolicy() => new()
    {
        ClockSkew = ClockSkew,
        Purpose = KeyPurpose.ClientAuthentication,
        EnforceExtendedKeyUsage = RequireClientAuthEku,
        RequireEkuExtension = RequireEkuExtension,
        MinimumKeySize = MinimumKeySize,
        AllowSha1Signatures = AllowSha1Signatures,
        AcceptablePolicies = Policies.Acceptable.Contains(CertificatePolicyOids.AnyPolicy) ? [] : [.. Policies.Acceptable],
        RequireExplicitPolicy = Policies.RequireExplicitPolicy,
        InhibitPolicyMapping = Policies.InhibitPolicyMapping,
        InhibitAnyPolicy = Policies.InhibitAnyPolicy,
    };
}
