namespace MtlsGateway.Outbound;

/// <summary>
/// For the readiness check: the gateway is ready for outbound calls when every configured outbound identity is
/// available (its token present and its key loaded). Cheap to call: reads state the token monitor keeps current.
/// </summary>
public interface IOutboundIdentityReadiness
{
    bool IsReady { get; }

    IReadOnlyList<OutboundIdentityStatus> Statuses { get; }
}
