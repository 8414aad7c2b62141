namespace MtlsGateway.ClientCertificates;

/// <summary>
/// Settings under <c>Gateway:ClientCertificates:Policies</c>: the RFC 5280 6.1.1 policy inputs of client path validation.
/// </summary>
public sealed class CertificatePolicyOptions
{
    /// <summary>user-initial-policy-set: the acceptable policy OIDs; empty (or anyPolicy) means any policy.</summary>
    public List<string> Acceptable { get; } = [];

    /// <summary>initial-explicit-policy: the path must be valid for one of the acceptable policies.</summary>
    public bool RequireExplicitPolicy { get; set; }

    /// <summary>initial-policy-mapping-inhibit: CAs may not map policies.</summary>
    public bool InhibitPolicyMapping { get; set; }

    /// <summary>initial-any-policy-inhibit: anyPolicy in a certificate does not stand for every policy.</summary>
    public bool InhibitAnyPolicy { get; set; }
}
