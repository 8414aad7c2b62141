using MtlsGateway.Pkcs11.Identity;

namespace MtlsGateway.Outbound;

/// <summary>
/// "Is this identity's token still there?" The gateway's only implementation asks the token
/// (<see cref="Pkcs11Identity.IsTokenPresent"/>: slot list and token info, no login). The interface exists so the one
/// integration test of a pulled token can simulate the pull, which SoftHSM2 cannot do inside a running process.
/// </summary>
internal interface ITokenPresenceProbe
{
    bool IsTokenPresent(Pkcs11Identity token);
}
