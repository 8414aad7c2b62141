using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Pkcs11.Identity;
using MtlsGateway.Telemetry;

namespace MtlsGateway.Outbound;

/// <summary>
/// Measures what a token's signature costs and notices a token that is present but no longer signs (locked, busy,
/// session lost): every <c>Gateway:OutboundIdentitySigningCheckInterval</c> (default 5 min; 00:00:00 turns it off) it
/// signs a fresh challenge through the same engine key the upstream TLS handshakes use. The handshakes' own
/// signatures happen inside OpenSSL, where they cannot be timed one by one.
/// </summary>
internal sealed partial class TokenSigningCanary(GatewayMetrics metrics, ILogger<TokenSigningCanary> logger)
{
    /// <summary>A token identity that is unavailable cannot sign: counted, so the "token unavailable" alert fires.</summary>
    public void CountUnavailable(OutboundIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.Definition is TokenIdentityDefinition && !identity.IsAvailable)
        {
            metrics.TokenSigningFailed(identity.Name, "token_absent");
        }
    }

    public void Sign(OutboundIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.Definition is not TokenIdentityDefinition || identity.Certificate is not { } certificate)
        {
            return;
        }

        using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey();
        if (key is null)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        bool verified;
        try
        {
            verified = PossessionProof.Verify(key, certificate);
        }
        catch (CryptographicException)
        {
            verified = false;
        }

        if (verified)
        {
            metrics.TokenSigned(identity.Name, Stopwatch.GetElapsedTime(started));
        }
        else
        {
            metrics.TokenSigningFailed(identity.Name, "sign_failed");
            LogSigningFailed(logger, identity.Name);
        }
    }

    [LoggerMessage(EventId = EventIds.TokenSigningCheckFailed, EventName = nameof(EventIds.TokenSigningCheckFailed), Level = LogLevel.Error, Message = "Outbound identity '{Identity}': the token did not produce a valid signature for the periodic signing check")]
    private static partial void LogSigningFailed(ILogger logger, string identity);
}
