using MtlsGateway.Outbound;

namespace MtlsGateway.Admin;

/// <summary>Ready while every configured outbound identity can sign (its token is present and loaded).</summary>
internal sealed class OutboundIdentityHealth(IOutboundIdentityReadiness identities) : IReadinessContributor, IStatusContributor
{
    public string Name => "outbound_identities";

    public string Section => "outboundIdentities";

    public ReadinessResult Check()
    {
        var unavailable = identities.Statuses.Where(status => !status.Available).ToArray();
        return unavailable.Length == 0
            ? ReadinessResult.Usable($"{identities.Statuses.Count} identit{(identities.Statuses.Count == 1 ? "y" : "ies")} available")
            : ReadinessResult.Unusable(string.Join("; ", unavailable.Select(status => $"'{status.Name}': {status.Problem}")));
    }

    public object Describe() => identities.Statuses;
}
