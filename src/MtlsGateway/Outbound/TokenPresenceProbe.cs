using MtlsGateway.Pkcs11.Identity;

namespace MtlsGateway.Outbound;

internal sealed class TokenPresenceProbe : ITokenPresenceProbe
{
    public bool IsTokenPresent(Pkcs11Identity token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.IsTokenPresent();
    }
}
