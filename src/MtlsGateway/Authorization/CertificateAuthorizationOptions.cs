namespace MtlsGateway.Authorization;

/// <summary>Settings under <c>Gateway:Authorization</c>: named policies, and the one for routes that name none.</summary>
public sealed class CertificateAuthorizationOptions
{
    public const string SectionName = "Gateway:Authorization";

    /// <summary>The policy for routes that name none (and for YARP's reserved name "Default"); none admits any validated client.</summary>
    public string? DefaultPolicy { get; set; }

    /// <summary>Leave the policy name out of refusals.</summary>
    public bool HidePolicyNames { get; set; }

    public Dictionary<string, CertificatePolicyOptions> Policies { get; } = new(StringComparer.OrdinalIgnoreCase);
}
