namespace MtlsGateway.Admin;

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
