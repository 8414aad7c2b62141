using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.TestSupport.Timing;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Validation.Verdicts;

public sealed class VerdictCacheTests : IDisposable
{
    private readonly TestCa root = TestCa.CreateRoot("CN=Cache Root");
    private readonly ValidationEpoch epoch = new();
    private readonly ManualClock clock = new(DateTimeOffset.UtcNow);

    public void Dispose() => root.Dispose();

    [Fact]
    public void Key_depends_on_the_whole_presented_chain()
    {
        using var client = root.Issue("CN=a");
        using var intermediate = root.CreateIntermediate("CN=i");
        Assert.NotEqual(VerdictCache.KeyOf(client, []), VerdictCache.KeyOf(client, [intermediate.Certificate]));
        Assert.Equal(VerdictCache.KeyOf(client, [intermediate.Certificate]), VerdictCache.KeyOf(client, [intermediate.Certificate]));
    }

    [Fact]
    public void A_verdict_is_reused_until_the_epoch_changes()
    {
        using var cache = new VerdictCache(10, TimeSpan.FromMinutes(5), epoch, clock);
        cache.Store("k", Accepted(DateTimeOffset.MaxValue));
        Assert.True(cache.TryGet("k", out _));
        epoch.Advance();
        Assert.False(cache.TryGet("k", out _));
    }

    [Fact]
    public void A_verdict_is_not_reused_past_its_valid_until()
    {
        using var cache = new VerdictCache(10, TimeSpan.FromMinutes(5), epoch, clock);
        cache.Store("k", Accepted(clock.GetUtcNow().AddSeconds(30)));
        Assert.True(cache.TryGet("k", out _));
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.False(cache.TryGet("k", out _));
    }

    [Fact]
    public void A_verdict_already_out_of_date_is_not_stored()
    {
        using var cache = new VerdictCache(10, TimeSpan.FromMinutes(5), epoch, clock);
        cache.Store("k", Accepted(clock.GetUtcNow()));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void The_cache_is_bounded()
    {
        using var cache = new VerdictCache(3, TimeSpan.FromMinutes(5), epoch, clock);
        for (var i = 0; i < 20; i++)
        {
            cache.Store($"k{i}", Accepted(DateTimeOffset.MaxValue));
        }

        Assert.True(cache.Count <= 3, $"{cache.Count} entries in a cache bounded to 3");
    }

    private ValidationVerdict Accepted(DateTimeOffset validUntil) =>
        ValidationVerdict.Accept([X509CertificateLoader.LoadCertificate(root.Certificate.RawData)], validUntil, epoch.Current);
}
