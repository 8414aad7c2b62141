using Microsoft.Extensions.Options;

namespace MtlsGateway.Outbound;

/// <summary>Probes every token identity periodically (<see cref="OutboundMonitoringOptions"/>).</summary>
internal sealed class OutboundIdentityMonitor(OutboundIdentities identities, ITokenPresenceProbe probe, TokenSigningCanary canary, IOptions<OutboundMonitoringOptions> options, TimeProvider time)
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
            await Task.Run(
                () =>
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
                },
                stoppingToken).ConfigureAwait(false);
        }
    }
}
