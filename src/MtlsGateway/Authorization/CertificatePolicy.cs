using MtlsGateway.Validation.Identity;

namespace MtlsGateway.Authorization;

/// <summary>A named policy from <c>Gateway:Authorization:Policies:&lt;name&gt;</c>: admits a client when any rule matches.</summary>
public sealed record CertificatePolicy(string Name, IReadOnlyList<CertificateRule> Rules)
{
    /// <param name="validPolicies">The certificate policies the client's accepted path is valid for.</param>
    public bool Admits(CertificateIdentity identity, IReadOnlyList<string> validPolicies) => Rules.Any(rule => rule.Matches(identity, validPolicies));
}
