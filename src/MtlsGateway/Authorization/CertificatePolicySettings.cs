using MtlsGateway.Validation.Identity;

namespace MtlsGateway.Authorization;

/// <summary>
/// The policies of <c>Gateway:Authorization</c> as the gateway enforces them, built from the bound options. Anything
/// that cannot be enforced as written (a reserved or unknown policy name, a rule with no field, an empty value) is a
/// problem naming its key: never a rule silently dropped.
/// </summary>
public sealed class CertificatePolicySettings
{
    public const string SectionName = CertificateAuthorizationOptions.SectionName;

    /// <summary>YARP's reserved route policy names: the default policy, and no authorization at all.</summary>
    public static readonly IReadOnlyList<string> ReservedNames = ["Default", "Anonymous"];

    private CertificatePolicySettings(IReadOnlyDictionary<string, CertificatePolicy> policies, string? defaultPolicy, bool hidePolicyNames)
    {
        Policies = policies;
        DefaultPolicy = defaultPolicy;
        HidePolicyNames = hidePolicyNames;
    }

    public IReadOnlyDictionary<string, CertificatePolicy> Policies { get; }

    /// <summary>The policy for routes that name none (and for the reserved name "Default"); null admits any validated client.</summary>
    public string? DefaultPolicy { get; }

    public bool HidePolicyNames { get; }

    /// <summary>The enforceable settings, or the problems (each starting with its full key) that prevent them.</summary>
    public static CertificatePolicySettings? Create(CertificateAuthorizationOptions options, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        var policies = new Dictionary<string, CertificatePolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, policy) in options.Policies)
        {
            var key = $"{SectionName}:Policies:{name}";
            if (ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{key}: '{name}' is reserved by YARP for routes; choose another name");
            }
            else if (policy.Allow.Count == 0)
            {
                problems.Add($"{key}:Allow: the policy has no rule, so it would refuse every client; add at least one rule");
            }
            else
            {
                policies[name] = new CertificatePolicy(name, [.. policy.Allow.Select((rule, index) => Rule(rule, $"{key}:Allow:{index}", problems)).OfType<CertificateRule>()]);
            }
        }

        var defaultPolicy = string.IsNullOrEmpty(options.DefaultPolicy) ? null : options.DefaultPolicy;
        if (defaultPolicy is not null && !policies.ContainsKey(defaultPolicy) && !options.Policies.ContainsKey(defaultPolicy))
        {
            problems.Add($"{SectionName}:DefaultPolicy: no policy named '{defaultPolicy}' under {SectionName}:Policies");
        }

        return problems.Count == 0 ? new CertificatePolicySettings(policies, defaultPolicy, options.HidePolicyNames) : null;
    }

    private static CertificateRule? Rule(CertificateRuleOptions rule, string key, List<string> problems)
    {
        var fields = rule.Fields();
        if (fields.Count == 0)
        {
            problems.Add($"{key}: the rule sets no field, so it would match every client; set at least one of {string.Join(", ", CertificateRule.FieldNames)}");
            return null;
        }

        if (fields.FirstOrDefault(field => field.Value.Any(string.IsNullOrWhiteSpace)) is { Key: not null } empty)
        {
            problems.Add($"{key}:{empty.Key}: an empty value would match nothing; remove it");
            return null;
        }

        try
        {
            return CertificateRule.Create(fields);
        }
        catch (ArgumentException e)
        {
            problems.Add($"{key}: {e.Message}");
            return null;
        }
    }
}
