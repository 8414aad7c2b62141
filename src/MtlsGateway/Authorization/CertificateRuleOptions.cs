using MtlsGateway.Validation.Identity;

namespace MtlsGateway.Authorization;

/// <summary>
/// One rule of a policy: it matches when every field it sets matches, and a field when any of its values does. The
/// fields are <see cref="CertificateRule.FieldNames"/>.
/// </summary>
public sealed class CertificateRuleOptions
{
    public List<string> Subjects { get; } = [];

    public List<string> CommonNames { get; } = [];

    public List<string> Organizations { get; } = [];

    public List<string> OrganizationalUnits { get; } = [];

    public List<string> DnsNames { get; } = [];

    public List<string> Uris { get; } = [];

    public List<string> Emails { get; } = [];

    public List<string> Issuers { get; } = [];

    public List<string> SerialNumbers { get; } = [];

    public List<string> Thumbprints { get; } = [];

    public List<string> SpkiPins { get; } = [];

    /// <summary>Certificate policy OIDs the client's accepted path must be valid for (any of them).</summary>
    public List<string> CertificatePolicies { get; } = [];

    /// <summary>The fields this rule sets, by their <see cref="CertificateRule.FieldNames"/> name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Fields() => new Dictionary<string, IReadOnlyList<string>>
    {
        [nameof(Subjects)] = Subjects,
        [nameof(CommonNames)] = CommonNames,
        [nameof(Organizations)] = Organizations,
        [nameof(OrganizationalUnits)] = OrganizationalUnits,
        [nameof(DnsNames)] = DnsNames,
        [nameof(Uris)] = Uris,
        [nameof(Emails)] = Emails,
        [nameof(Issuers)] = Issuers,
        [nameof(SerialNumbers)] = SerialNumbers,
        [nameof(Thumbprints)] = Thumbprints,
        [nameof(SpkiPins)] = SpkiPins,
        [nameof(CertificatePolicies)] = CertificatePolicies,
    }.Where(field => field.Value.Count > 0).ToDictionary(field => field.Key, field => field.Value, StringComparer.Ordinal);
}
