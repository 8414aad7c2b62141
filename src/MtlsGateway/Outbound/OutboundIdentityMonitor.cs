using Microsoft.Extensions.Options;

namespace MtlsGateway.Outbound;

/// <summary>Probes every token identity periodically (<see cref="OutboundMonitoringOptions"/>).</summary>
internal sealed partial class OutboundIdentityMonitor(
    OutboundIdentities identities,
    ITokenPresenceProbe probe,
    TokenSigningCanary canary,
    IOptions<OutboundMonitoringOptions> options,
    TimeProvider time,
    ILogger<OutboundIdentityMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.OutboundIdentityProbeInterval, time);
        var signingInterval = options.Value.OutboundIdentitySigningCheckInterval;
        var lastSigned = time.GetUtcNow();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var signNow = signingInterval > TimeSpan.Zero && time.GetUtcNow() - lastSigned >= signingInterval;
            lastSigned = signNow ? time.GetUtcNow() : lastSigned;

            // Native calls into the module block; keep them off the timer's continuation.
            await Task.Run(() => ProbeOnce(signNow), stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An exception escaping ExecuteAsync would stop the host (the default BackgroundServiceExceptionBehavior): a probe
    /// that fails is logged, and the next tick probes again.
    /// </summary>
    private void ProbeOnce(bool signNow)
    {
        try
        {
            identities.Probe(probe);
            foreach (var identity in identities.Names.Select(identities.Get))
            {
                canary.CountUnavailable(identity);
                if (signNow)
                {
                    canary.Sign(identity);
                }
            }
        }
#pragma warning disable CA1031 // Whatever a module or token does, the gateway keeps running and probing.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogProbeFailed(logger, $"{e.GetType().Name}: {e.Message}");
        }
    }

    [LoggerMessage(EventId = EventIds.OutboundIdentityProbeFailed, EventName = nameof(EventIds.OutboundIdentityProbeFailed), Level = LogLevel.Error, Message = "Probing the outbound identities failed ({Problem}); probed again at the next interval")]
    private static partial void LogProbeFailed(ILogger logger, string problem);
}
