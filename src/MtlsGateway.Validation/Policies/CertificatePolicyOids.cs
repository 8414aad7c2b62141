namespace MtlsGateway.Validation.Policies;

/// <summary>The object identifiers of RFC 5280's policy extensions and of anyPolicy.</summary>
public static class CertificatePolicyOids
{
    /// <summary>anyPolicy (RFC 5280 4.2.1.4).</summary>
    public const string AnyPolicy = "2.5.29.32.0";

    public const string CertificatePolicies = "2.5.29.32";

    public const string PolicyMappings = "2.5.29.33";

    public const string PolicyConstraints = "2.5.29.36";

    public const string InhibitAnyPolicy = "2.5.29.54";
}
