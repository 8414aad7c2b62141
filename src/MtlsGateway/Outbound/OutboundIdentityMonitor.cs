namespace MtlsGateway.Outbound;

/// <summary>Probes every token identity periodically (<c>Gateway:OutboundIdentityProbeInterval</c>, default 5 s).</summary>
internal sealed class OutboundIdentityMonitor(OutboundIdentities identities, ITokenPresenceProbe probe, TokenSigningCanary canary, IConfiguration configuration, TimeProvider time)
    : BackgroundService
{
    public const string IntervalKey = "Gateway:OutboundIdentityProbeInterval";

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval(configuration), time);
        var signingInterval = TokenSigningCanary.Interval(configuration);
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

    public static TimeSpan Interval(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetValue<TimeSpan?>(IntervalKey) ?? DefaultInterval;
    }
}
