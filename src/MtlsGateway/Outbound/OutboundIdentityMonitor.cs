namespace MtlsGateway.Outbound;

/// <summary>Probes every token identity periodically (<c>Gateway:OutboundIdentityProbeInterval</c>, default 5 s).</summary>
internal sealed class OutboundIdentityMonitor(OutboundIdentities identities, ITokenPresenceProbe probe, IConfiguration configuration, TimeProvider time)
    : BackgroundService
{
    public const string IntervalKey = "Gateway:OutboundIdentityProbeInterval";

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval(configuration), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            // Native calls into the module block; keep them off the timer's continuation.
            await Task.Run(() => identities.Probe(probe), stoppingToken).ConfigureAwait(false);
        }
    }

    public static TimeSpan Interval(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetValue<TimeSpan?>(IntervalKey) ?? DefaultInterval;
    }
}
