using MtlsGateway.Validation.Policies;

namespace MtlsGateway.Validation.Identity;

/// <summary>
/// One "Allow" rule: it matches when every field it sets matches, and a field matches when any of its values does.
/// Values may use <c>*</c>: in DNS names it stands for exactly one label, elsewhere for any run of characters.
/// <c>CertificatePolicies</c> takes exact OIDs and matches a policy the accepted path is valid for (RFC 5280 policy
/// processing: one of the path's valid policies, or any policy when its CAs left it valid for anyPolicy).
/// </summary>
public sealed class CertificateRule
{
    public static readonly IReadOnlyList<string> FieldNames =
        ["Subjects", "CommonNames", "Organizations", "OrganizationalUnits", "DnsNames", "Uris", "Emails", "Issuers", "SerialNumbers", "Thumbprints", "SpkiPins", "CertificatePolicies"];

    private readonly List<(string Field, Func<CertificateIdentity, IReadOnlyList<string>, bool> Matches)> fields = [];

    private CertificateRule()
    {
    }

    /// <summary>The fields this rule sets, for audit and error messages.</summary>
    public IEnumerable<string> Fields => fields.Select(f => f.Field);

    /// <summary>Builds a rule from field name → values; throws <see cref="ArgumentException"/> for an unknown field or value.</summary>
    public static CertificateRule Create(IReadOnlyDictionary<string, IReadOnlyList<string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var rule = new CertificateRule();
        foreach (var (field, patterns) in values)
        {
            if (patterns.Count == 0)
            {
                continue;
            }

            if (field == "CertificatePolicies")
            {
                rule.fields.Add((field, PolicyMatcher(patterns)));
                continue;
            }

            Func<CertificateIdentity, bool> matcher = field switch
            {
                "Subjects" => AnyOf(patterns.Select(DistinguishedNames.Normalize), ValuePattern.Glob, id => [id.Subject]),
                "Issuers" => AnyOf(patterns.Select(DistinguishedNames.Normalize), ValuePattern.Glob, id => [id.Issuer]),
                "CommonNames" => AnyOf(patterns, ValuePattern.Glob, id => id.CommonNames),
                "Organizations" => AnyOf(patterns, ValuePattern.Glob, id => id.Organizations),
                "OrganizationalUnits" => AnyOf(patterns, ValuePattern.Glob, id => id.OrganizationalUnits),
                "DnsNames" => AnyOf(patterns, ValuePattern.DnsName, id => id.AlternativeNames.DnsNames),
                "Uris" => AnyOf(patterns, ValuePattern.Glob, id => id.AlternativeNames.Uris),
                "Emails" => AnyOf(patterns, ValuePattern.GlobIgnoreCase, id => id.AlternativeNames.Emails),
                "SerialNumbers" => AnyOf(patterns.Select(HexValues.NormalizeSerial), ValuePattern.GlobIgnoreCase, id => [HexValues.NormalizeSerial(id.SerialNumber)]),
                "Thumbprints" => AnyOf(patterns.Select(HexValues.Normalize), ValuePattern.GlobIgnoreCase, id => [id.Sha256Thumbprint]),
                "SpkiPins" => AnyOf(patterns, ValuePattern.Glob, id => [id.SpkiPin]),
                _ => throw new ArgumentException($"unknown field '{field}' (known: {string.Join(", ", FieldNames)})"),
            };
            rule.fields.Add((field, (identity, _) => matcher(identity)));
        }

        if (rule.fields.Count == 0)
        {
            throw new ArgumentException("the rule sets no field, so it would admit every client; list at least one field with at least one value");
        }

        return rule;
    }

    /// <summary>Matches a certificate alone, as for a path valid for no certificate policy.</summary>
    public bool Matches(CertificateIdentity identity) => Matches(identity, []);

    /// <param name="validPolicies">The certificate policies the accepted path is valid for (the verdict's ValidPolicies).</param>
    public bool Matches(CertificateIdentity identity, IReadOnlyList<string> validPolicies) => fields.TrueForAll(field => field.Matches(identity, validPolicies));

    private static Func<CertificateIdentity, IReadOnlyList<string>, bool> PolicyMatcher(IReadOnlyList<string> oids)
    {
        foreach (var oid in oids)
        {
            if (ObjectIdentifiers.Problem(oid) is { } problem)
            {
                throw new ArgumentException($"CertificatePolicies: {problem}");
            }

            if (oid == CertificatePolicyOids.AnyPolicy)
            {
                throw new ArgumentException("CertificatePolicies: anyPolicy (2.5.29.32.0) is not a policy a route can require; name the policies the route requires");
            }
        }

        var required = oids.ToArray();
        return (_, valid) => required.Any(oid => valid.Contains(oid, StringComparer.Ordinal) || valid.Contains(CertificatePolicyOids.AnyPolicy, StringComparer.Ordinal));
    }

    private static Func<CertificateIdentity, bool> AnyOf(IEnumerable<string> patterns, Func<string, ValuePattern> compile, Func<CertificateIdentity, IReadOnlyList<string>> values)
    {
        var compiled = patterns.Select(compile).ToArray();
        return identity => values(identity).Any(value => compiled.Any(pattern => pattern.Matches(value)));
    }
}
