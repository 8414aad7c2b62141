using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Policies;

namespace MtlsGateway.Cli;

/// <summary>
/// What check-cert's options change in the path validation the settings describe: given policies replace the
/// acceptable set, switches can only turn a constraint on, the purpose and the minimum key size replace the setting.
/// </summary>
internal sealed record PolicyOverrides(
    string[] Policies, bool RequireExplicitPolicy, bool InhibitPolicyMapping, bool InhibitAnyPolicy, KeyPurpose Purpose, int? MinimumKeySize, bool AllowSha1)
{
    /// <summary>Null when the options can be applied; otherwise the usage error, naming the option.</summary>
    public string? Problem()
    {
        foreach (var policy in Policies)
        {
            if (ObjectIdentifiers.Problem(policy) is { } problem)
            {
                return $"--policy: {problem}";
            }
        }

        return MinimumKeySize is < 1024 or > 16384 ? $"--minimum-key-size: {MinimumKeySize} is outside 1024..16384 bits" : null;
    }

    public PathValidationPolicy ApplyTo(PathValidationPolicy policy) => policy with
    {
        AcceptablePolicies = Policies.Length == 0 ? policy.AcceptablePolicies : Policies.Contains(CertificatePolicyOids.AnyPolicy) ? [] : Policies,
        RequireExplicitPolicy = policy.RequireExplicitPolicy || RequireExplicitPolicy,
        InhibitPolicyMapping = policy.InhibitPolicyMapping || InhibitPolicyMapping,
        InhibitAnyPolicy = policy.InhibitAnyPolicy || InhibitAnyPolicy,
        Purpose = Purpose,
        MinimumKeySize = MinimumKeySize ?? policy.MinimumKeySize,
        AllowSha1Signatures = policy.AllowSha1Signatures || AllowSha1,
    };
}
