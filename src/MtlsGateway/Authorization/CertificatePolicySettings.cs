using MtlsGateway.Hosting;
using MtlsGateway.Validation.Identity;

namespace MtlsGateway.Authorization;

/// <summary>
/// The parsed <c>Gateway:Authorization</c> section. Parsed by hand rather than bound, so that an unknown field, an
/// empty rule or a bad value is an error naming its key instead of being silently ignored.
/// </summary>
public sealed class CertificatePolicySettings
{
    public const string SectionName = "Gateway:Authorization";

    /// <summary>YARP's reserved route policy names: the default policy, and no authorization at all.</summary>
    public static readonly IReadOnlyList<string> ReservedNames = ["Default", "Anonymous"];

    private static readonly string[] SectionKeys = ["Policies", "DefaultPolicy", "HidePolicyNames"];

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

    /// <exception cref="GatewayConfigurationException">The section holds something that cannot be enforced as written.</exception>
    public static CertificatePolicySettings Load(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        foreach (var child in section.GetChildren().Where(child => !SectionKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase)))
        {
            throw new GatewayConfigurationException(child.Path, $"unknown setting (known: {string.Join(", ", SectionKeys)})");
        }

        var policies = new Dictionary<string, CertificatePolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (var policy in section.GetSection("Policies").GetChildren())
        {
            if (ReservedNames.Contains(policy.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new GatewayConfigurationException(policy.Path, $"'{policy.Key}' is reserved by YARP for routes; choose another name");
            }

            policies[policy.Key] = new CertificatePolicy(policy.Key, LoadRules(policy));
        }

        var defaultPolicy = section["DefaultPolicy"] is { Length: > 0 } name ? name : null;
        if (defaultPolicy is not null && !policies.ContainsKey(defaultPolicy))
        {
            throw new GatewayConfigurationException(section.GetSection("DefaultPolicy").Path, $"no policy named '{defaultPolicy}' under {section.Path}:Policies");
        }

        var hide = section["HidePolicyNames"];
        if (hide is not null && !bool.TryParse(hide, out _))
        {
            throw new GatewayConfigurationException(section.GetSection("HidePolicyNames").Path, $"'{hide}' is not true or false");
        }

        return new CertificatePolicySettings(policies, defaultPolicy, hide is not null && bool.Parse(hide));
    }

    private static CertificateRule[] LoadRules(IConfigurationSection policy)
    {
        foreach (var child in policy.GetChildren().Where(child => !string.Equals(child.Key, "Allow", StringComparison.OrdinalIgnoreCase)))
        {
            throw new GatewayConfigurationException(child.Path, "unknown setting (a policy has only \"Allow\": [ rules ])");
        }

        var rules = policy.GetSection("Allow").GetChildren().ToArray();
        if (rules.Length == 0)
        {
            throw new GatewayConfigurationException(policy.Path + ":Allow", "the policy has no rule, so it would refuse every client; add at least one rule");
        }

        return [.. rules.Select(LoadRule)];
    }

    private static CertificateRule LoadRule(IConfigurationSection rule)
    {
        var fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var field in rule.GetChildren())
        {
            var name = CertificateRule.FieldNames.FirstOrDefault(known => string.Equals(known, field.Key, StringComparison.OrdinalIgnoreCase))
                ?? throw new GatewayConfigurationException(field.Path, $"unknown field (known: {string.Join(", ", CertificateRule.FieldNames)})");
            var values = field.Value is { } single ? [single] : field.GetChildren().Select(value => value.Value ?? string.Empty).ToArray();
            if (values.Any(string.IsNullOrWhiteSpace))
            {
                throw new GatewayConfigurationException(field.Path, "an empty value would match nothing; remove it");
            }

            fields[name] = values;
        }

        try
        {
            return CertificateRule.Create(fields);
        }
        catch (ArgumentException e)
        {
            throw new GatewayConfigurationException(rule.Path, e.Message, e);
        }
    }
}
