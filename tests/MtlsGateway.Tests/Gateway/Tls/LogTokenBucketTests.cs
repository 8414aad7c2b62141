using MtlsGateway.TestSupport.Timing;
using MtlsGateway.Tls.Handshakes;

namespace MtlsGateway.Tests.Gateway.Tls;

public sealed class LogTokenBucketTests
{
    [Fact]
    public void A_flood_gets_the_burst_then_one_line_per_interval_and_the_rest_is_counted()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var bucket = new LogTokenBucket(capacity: 5, refillInterval: TimeSpan.FromSeconds(1), clock);

        var logged = Enumerable.Range(0, 1000).Count(_ => bucket.TryTake());
        Assert.Equal(5, logged);
        Assert.Equal(995, bucket.TakeSuppressed());
        Assert.Equal(0, bucket.TakeSuppressed());

        clock.Advance(TimeSpan.FromSeconds(2.5));
        Assert.Equal(2, Enumerable.Range(0, 100).Count(_ => bucket.TryTake()));

        // Refills stop at the capacity: a long quiet period does not buy a bigger burst.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(5, Enumerable.Range(0, 100).Count(_ => bucket.TryTake()));
    }
}
