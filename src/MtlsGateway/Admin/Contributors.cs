namespace MtlsGateway.Admin;

/// <summary>One part's answer to "can the gateway serve traffic?".</summary>
public sealed record ReadinessResult(bool Ready, string? Detail = null)
{
    public static ReadinessResult Usable(string? detail = null) => new(true, detail);

    public static ReadinessResult Unusable(string detail) => new(false, detail);
}

/// <summary>
/// Extension point: a part the gateway cannot serve without (trust list, proxy configuration; later revocation data
/// where Mode is Require and outbound identities). <c>/healthz/ready</c> is the conjunction of all registered contributors.
/// Register implementations as singletons; <see cref="Check"/> runs on every probe, so keep it cheap and never throw.
/// </summary>
public interface IReadinessContributor
{
    /// <summary>Short snake_case name shown in the readiness response.</summary>
    string Name { get; }

    ReadinessResult Check();
}

/// <summary>
/// Extension point: a section of <c>/status</c> (trust anchors, certificate expiries, configuration reloads; later CRLs,
/// OCSP cache figures, tokens). The value is serialized as JSON: describe state, never secrets (no PIN, no key material).
/// </summary>
public interface IStatusContributor
{
    /// <summary>The section's property name in the <c>/status</c> document.</summary>
    string Section { get; }

    object Describe();
}
