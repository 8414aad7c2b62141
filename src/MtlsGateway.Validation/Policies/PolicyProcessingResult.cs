namespace MtlsGateway.Validation.Policies;

/// <summary>
/// The outcome of RFC 5280 policy processing over one path: a problem (which certificate, which constraint), or the
/// path's valid policies.
/// </summary>
/// <param name="ValidPolicies">
/// The authorities-constrained policy set: the policies, in the relying party's domain (before mapping), for which
/// the CAs of the path made it valid, with anyPolicy when they left it valid for any policy. Empty when the path
/// carries no policy. It does not depend on the acceptable policies of the setting.
/// </param>
public sealed record PolicyProcessingResult(string? Problem, IReadOnlyList<string> ValidPolicies)
{
    public bool Passed => Problem is null;
}
