namespace MtlsGateway.Validation.Chains;

/// <summary>The settings that shape path validation itself (revocation has its own).</summary>
public sealed record PathValidationPolicy
{
    /// <summary>The OID of anyPolicy (RFC 5280 4.2.1.4).</summary>
    public const string AnyPolicy = "2.5.29.32.0";

    /// <summary>Tolerance applied to notBefore and notAfter, for clocks that disagree a little.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>When a certificate carries an extendedKeyUsage extension, it must allow clientAuth.</summary>
    public bool RequireClientAuthEku { get; init; } = true;

    /// <summary>RFC 5280 6.1.1 (c), user-initial-policy-set: the acceptable certificate policies; empty means anyPolicy.</summary>
    public IReadOnlyList<string> AcceptablePolicies { get; init; } = [];

    /// <summary>RFC 5280 6.1.1 (f), initial-explicit-policy: the path must be valid for at least one acceptable policy.</summary>
    public bool RequireExplicitPolicy { get; init; }

    /// <summary>RFC 5280 6.1.1 (e), initial-policy-mapping-inhibit.</summary>
    public bool InhibitPolicyMapping { get; init; }

    /// <summary>RFC 5280 6.1.1 (g), initial-any-policy-inhibit.</summary>
    public bool InhibitAnyPolicy { get; init; }

    /// <summary>The smallest RSA or DSA key accepted anywhere in the path, in bits.</summary>
    public int MinimumKeySize { get; init; } = 2048;

    /// <summary>Whether SHA-1 signatures are accepted (MD2, MD4 and MD5 never are).</summary>
    public bool AllowSha1Signatures { get; init; }
}
