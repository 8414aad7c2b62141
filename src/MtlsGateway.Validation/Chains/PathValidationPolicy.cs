using MtlsGateway.Validation.Crypto;
using MtlsGateway.Validation.Policies;

namespace MtlsGateway.Validation.Chains;

/// <summary>The settings that shape path validation itself (revocation has its own).</summary>
public sealed record PathValidationPolicy
{
    /// <summary>The OID of anyPolicy (RFC 5280 4.2.1.4).</summary>
    public const string AnyPolicy = CertificatePolicyOids.AnyPolicy;

    /// <summary>Tolerance applied to notBefore and notAfter, for clocks that disagree a little.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>What the end entity must be usable for.</summary>
    public KeyPurpose Purpose { get; init; } = KeyPurpose.ClientAuthentication;

    /// <summary>
    /// Every certificate of the path below the trust anchor that carries an extendedKeyUsage extension must allow the
    /// <see cref="Purpose"/> (or anyExtendedKeyUsage). A certificate without the extension is not restricted (RFC 5280 4.2.1.12).
    /// </summary>
    public bool EnforceExtendedKeyUsage { get; init; } = true;

    /// <summary>The end entity must carry an extendedKeyUsage extension (which <see cref="EnforceExtendedKeyUsage"/> then checks).</summary>
    public bool RequireEkuExtension { get; init; }

    /// <summary>RFC 5280 6.1.1 (c), user-initial-policy-set: the acceptable certificate policies; empty means anyPolicy.</summary>
    public IReadOnlyList<string> AcceptablePolicies { get; init; } = [];

    /// <summary>RFC 5280 6.1.1 (f), initial-explicit-policy: the path must be valid for at least one acceptable policy.</summary>
    public bool RequireExplicitPolicy { get; init; }

    /// <summary>RFC 5280 6.1.1 (e), initial-policy-mapping-inhibit.</summary>
    public bool InhibitPolicyMapping { get; init; }

    /// <summary>RFC 5280 6.1.1 (g), initial-any-policy-inhibit.</summary>
    public bool InhibitAnyPolicy { get; init; }

    /// <summary>The smallest RSA or DSA key accepted anywhere in the path, in bits.</summary>
    public int MinimumKeySize { get; init; } = CryptoMinimums.DefaultMinimumKeySize;

    /// <summary>Whether SHA-1 signatures are accepted (MD2, MD4 and MD5 never are).</summary>
    public bool AllowSha1Signatures { get; init; }

    /// <summary>The crypto minimums these settings describe, for the path and for the revocation data it relies on.</summary>
    public CryptoMinimums Minimums => new(MinimumKeySize, AllowSha1Signatures);
}
