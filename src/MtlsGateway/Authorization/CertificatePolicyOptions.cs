namespace MtlsGateway.Authorization;

/// <summary><c>Gateway:Authorization:Policies:&lt;name&gt;</c>: admits a client when any rule matches.</summary>
public sealed class CertificatePolicyOptions
{
    public List<CertificateRuleOptions> Allow { get; } = [];
}
