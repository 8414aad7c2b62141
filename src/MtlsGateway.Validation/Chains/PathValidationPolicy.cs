namespace MtlsGateway.Validation.Chains;

/// <summary>The settings that shape path validation itself (revocation has its own).</summary>
public sealed record PathValidationPolicy
{
    /// <summary>Tolerance applied to notBefore and notAfter, for clocks that disagree a little.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>When a certificate carries an extendedKeyUsage extension, it must allow clientAuth.</summary>
    public bool RequireClientAuthEku { get; init; } = true;
}
