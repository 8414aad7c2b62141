using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Policies;

namespace MtlsGateway.Validation.Chains;

/// <summary>
/// The judgement on one presented certificate chain. <see cref="ValidUntil"/> and <see cref="Epoch"/> say when it must
/// be recomputed: at the earliest expiry of what it was based on, or as soon as trust or revocation data changes.
/// </summary>
public sealed record ValidationVerdict
{
    private ValidationVerdict(RefusalReason? refusal, string detail, IReadOnlyList<X509Certificate2> path, DateTimeOffset validUntil, long epoch, IReadOnlyList<string> validPolicies)
    {
        Refusal = refusal;
        Detail = detail;
        Path = path;
        ValidUntil = validUntil;
        Epoch = epoch;
        ValidPolicies = validPolicies;
    }

    public RefusalReason? Refusal { get; }

    public bool Accepted => Refusal is null;

    /// <summary>Human-readable detail for operators; never contains file paths or stack traces.</summary>
    public string Detail { get; }

    /// <summary>The validated path (end entity first, trust anchor last); empty when no path could be built.</summary>
    public IReadOnlyList<X509Certificate2> Path { get; }

    public DateTimeOffset ValidUntil { get; }

    public long Epoch { get; }

    /// <summary>
    /// The certificate policies an accepted path is valid for (RFC 5280's authorities-constrained set, in the relying
    /// party's domain), anyPolicy included when its CAs left it valid for any policy; empty when it carries none.
    /// </summary>
    public IReadOnlyList<string> ValidPolicies { get; }

    public static ValidationVerdict Accept(IReadOnlyList<X509Certificate2> path, DateTimeOffset validUntil, long epoch, IReadOnlyList<string>? validPolicies = null) =>
        new(null, "accepted", path, validUntil, epoch, validPolicies ?? []);

    public static ValidationVerdict Refuse(RefusalReason reason, string detail, IReadOnlyList<X509Certificate2> path, DateTimeOffset validUntil, long epoch) =>
        new(reason, detail, path, validUntil, epoch, []);

    public bool IsCurrent(DateTimeOffset now, long currentEpoch) => Epoch == currentEpoch && now < ValidUntil;

    /// <summary>Whether the accepted path is valid for <paramref name="policy"/> (as RFC 5280 6.1.5 (g) would say with it as the acceptable set).</summary>
    public bool IsValidForPolicy(string policy) =>
        ValidPolicies.Contains(policy, StringComparer.Ordinal) || ValidPolicies.Contains(CertificatePolicyOids.AnyPolicy, StringComparer.Ordinal);
}
