namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// A token bucket for log lines: up to <c>capacity</c> lines at once, then one per <c>refillInterval</c>; what it
/// refuses is counted, so the count can be logged instead.
/// </summary>
internal sealed class LogTokenBucket(int capacity, TimeSpan refillInterval, TimeProvider timeProvider)
{
    private readonly Lock gate = new();
    private double tokens = capacity;
    private DateTimeOffset lastRefill = timeProvider.GetUtcNow();
    private long suppressed;

    public bool TryTake()
    {
        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            tokens = Math.Min(capacity, tokens + (Math.Max(0, (now - lastRefill).Ticks) / (double)refillInterval.Ticks));
            lastRefill = now;
            if (tokens >= 1)
            {
                tokens -= 1;
                return true;
            }

            suppressed++;
            return false;
        }
    }

    /// <summary>How many lines were refused since the last call.</summary>
    public long TakeSuppressed()
    {
        lock (gate)
        {
            var count = suppressed;
            suppressed = 0;
            return count;
        }
    }
}
