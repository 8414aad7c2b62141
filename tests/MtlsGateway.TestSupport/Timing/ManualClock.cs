namespace MtlsGateway.TestSupport.Timing;

/// <summary>A clock the test sets and moves, so expiry needs no waiting.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset now = now;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
