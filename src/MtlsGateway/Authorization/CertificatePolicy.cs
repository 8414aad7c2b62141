using MtlsGateway.Validation.Identity;

namespace MtlsGateway.Authorization;

/// <summary>A named policy from <c>Gateway:Authorization:Policies:&lt;name&gt;</c>: admits a client when any rule matches.</summary>
public sealed record CertificatePolicy(string Name, IReadOnlyList<CertificateRule> Rules)
{
    public bool Admits(CertificateIdentity identity) => Rules.Any(rule => rule.Matches(identity));
}
