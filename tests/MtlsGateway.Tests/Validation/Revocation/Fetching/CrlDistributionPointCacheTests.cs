using Microsoft.Extensions.Logging.Abstractions;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Fetching;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Validation.Revocation.Fetching;

/// <summary>CRL download, disk cache and background refresh against a real loopback HTTP server.</summary>
public sealed class CrlDistributionPointCacheTests : IDisposable
{
    private readonly TestCa ca = TestCa.CreateRoot("CN=CDP Test CA", profile => profile.Key = KeySpec.Rsa2048);
    private readonly TempFolder folder = new("mtlsgw-crl-cache-");
    private readonly string cacheFolder;
    private readonly ValidationEpoch epoch = new();
    private readonly List<IDisposable> owned = [];

    public CrlDistributionPointCacheTests() => cacheFolder = folder.CreateFolder("cache");

    public void Dispose()
    {
        foreach (var item in Enumerable.Reverse(owned))
        {
            item.Dispose();
        }

        ca.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task DownloadedCrl_IsWrittenToDisk_AndReloadedByANewInstanceAfterTheServerIsGone()
    {
        var crl = Crl(TimeSpan.FromHours(1));
        var served = TestUpstream.Serving(() => crl);
        var url = new Uri(served.Address, "ca.crl");
        var first = Cache(new FetchingSetup());

        var downloaded = await first.GetAsync(url, CancellationToken.None);
        served.Dispose();
        var second = Cache(new FetchingSetup());
        var reloaded = await second.GetAsync(url, CancellationToken.None);

        Assert.Equal(crl, downloaded.Cached!.Der);
        Assert.Equal(crl, File.ReadAllBytes(first.CacheFileOf(url)!));
        Assert.Single(Directory.GetFiles(cacheFolder));
        Assert.Null(reloaded.Problem);
        Assert.Equal(crl, reloaded.Cached!.Der);
        Assert.Equal(TestCrls.NextUpdateOf(crl), reloaded.Cached.NextUpdate);
    }

    [Fact]
    public async Task FreshCrl_IsServedWithoutNetwork()
    {
        var crl = Crl(TimeSpan.FromHours(1));
        var server = Own(TestUpstream.Serving(() => crl));
        var cache = Cache(new FetchingSetup(), folder: null);
        var url = new Uri(server.Address, "ca.crl");

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(crl, (await cache.GetAsync(url, CancellationToken.None)).Cached!.Der);
        }

        Assert.Equal(1, server.Requests);
        Assert.Single(cache.Snapshot());
    }

    [Fact]
    public async Task ConcurrentRequests_ShareOneDownload()
    {
        var crl = Crl(TimeSpan.FromHours(1));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = Own(TestUpstream.Start(options => options.Handler = async context =>
        {
            await release.Task;
            await context.Response.Body.WriteAsync(crl);
        }));
        var cache = Cache(new FetchingSetup());
        var url = new Uri(server.Address, "ca.crl");

        var waiting = Enumerable.Range(0, 20).Select(_ => cache.GetAsync(url, CancellationToken.None).AsTask()).ToArray();
        release.SetResult();
        var results = await Task.WhenAll(waiting);

        Assert.All(results, result => Assert.Equal(crl, result.Cached!.Der));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task NewerCrl_IsFetchedInTheBackgroundBeforeNextUpdate_AndAdvancesTheEpoch()
    {
        var older = Crl(TimeSpan.FromMinutes(30));
        var newer = Crl(TimeSpan.FromMinutes(60));
        var requests = 0;
        var server = Own(TestUpstream.Serving(() => Interlocked.Increment(ref requests) == 1 ? older : newer));
        var options = new CrlDistributionPointCacheOptions { CacheFolder = cacheFolder, RefreshAhead = TimeSpan.FromHours(1), RetryInterval = TimeSpan.FromMilliseconds(200) };
        var cache = Cache(new FetchingSetup(), options);
        var url = new Uri(server.Address, "ca.crl");
        var replaced = new TaskCompletionSource<CachedCrl<TestCrl>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var epochWhenOlderStored = -1L;

        // The refresh may run before GetAsync returns, so the epochs are read when each CRL is announced.
        cache.CrlChanged += crl =>
        {
            if (crl.Der.AsSpan().SequenceEqual(older))
            {
                Interlocked.Exchange(ref epochWhenOlderStored, epoch.Current);
            }
            else if (crl.Der.AsSpan().SequenceEqual(newer))
            {
                replaced.TrySetResult(crl);
            }
        };

        var first = await cache.GetAsync(url, CancellationToken.None);
        var refreshed = await replaced.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(older, first.Cached!.Der);
        Assert.True(Interlocked.Read(ref epochWhenOlderStored) >= 0, "the first CRL was announced");
        Assert.True(epoch.Current > Interlocked.Read(ref epochWhenOlderStored));
        Assert.Equal(newer, (await cache.GetAsync(url, CancellationToken.None)).Cached!.Der);
        Assert.Equal(newer, File.ReadAllBytes(cache.CacheFileOf(url)!));
        Assert.Equal(TestCrls.NextUpdateOf(newer), refreshed.NextUpdate);
    }

    [Fact]
    public async Task BytesThatAreNotACrl_AreAProblem_NotACrl()
    {
        var server = Own(TestUpstream.Serving(() => "<html>captive portal</html>"u8.ToArray()));
        var cache = Cache(new FetchingSetup());
        var url = new Uri(server.Address, "ca.crl");

        var result = await cache.GetAsync(url, CancellationToken.None);

        Assert.Null(result.Cached);
        Assert.Contains("did not serve a usable CRL", result.Problem, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(cacheFolder));
    }

    [Fact]
    public void DistributionPoints_OfAnOpenSslCertificate_SplitHttpFromUnsupported()
    {
        var openssl = new OpenSslCa(folder.CreateFolder("openssl-ca"));
        using var certificate = OpenSslCa.Load(openssl.Issue("cdp", "crlDistributionPoints=URI:http://127.0.0.1:1/ca.crl,URI:ldap://ldap.example/cn=CA?certificateRevocationList"));

        var endpoints = CrlDistributionPoints.Read(certificate);

        Assert.Equal(new Uri("http://127.0.0.1:1/ca.crl"), Assert.Single(endpoints.Supported));
        Assert.Equal("ldap://ldap.example/cn=CA?certificateRevocationList", Assert.Single(endpoints.Unsupported));
    }

    [Fact]
    public async Task CrlFetchSource_JudgesWithTheLookup_AndReportsMissingOrUnsupportedDistributionPoints()
    {
        byte[] crl = [];
        var server = Own(TestUpstream.Serving(() => crl));
        var url = new Uri(server.Address, "ca.crl").AbsoluteUri;
        var listed = Issue(url);
        var notListed = Issue(url);
        var noCdp = Issue();
        var ldapOnly = Issue("ldap://ldap.example/cn=CA?certificateRevocationList");
        var unreachable = Issue($"http://127.0.0.1:{LoopbackPort.Unused()}/gone.crl");
        crl = Crl(TimeSpan.FromHours(1), listed);
        var source = new CrlFetchRevocationSource<TestCrl>(Cache(new FetchingSetup()), TestCrls.Lookup);

        var revokedStatus = await source.GetStatusAsync(new CertificatePath([listed, ca.Certificate]), 0, DateTimeOffset.UtcNow, CancellationToken.None);
        var goodStatus = await source.GetStatusAsync(new CertificatePath([notListed, ca.Certificate]), 0, DateTimeOffset.UtcNow, CancellationToken.None);
        var none = await source.GetStatusAsync(new CertificatePath([noCdp, ca.Certificate]), 0, DateTimeOffset.UtcNow, CancellationToken.None);
        var ldap = await source.GetStatusAsync(new CertificatePath([ldapOnly, ca.Certificate]), 0, DateTimeOffset.UtcNow, CancellationToken.None);
        var down = await source.GetStatusAsync(new CertificatePath([unreachable, ca.Certificate]), 0, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal("crl-fetch", source.Name);
        Assert.Equal(RevocationState.Revoked, revokedStatus.State);
        Assert.Equal(RevocationState.Good, goodStatus.State);
        Assert.Equal(RevocationState.Unknown, none.State);
        Assert.Contains("no CRL distribution point", none.Detail, StringComparison.Ordinal);
        Assert.Equal(RevocationState.Unknown, ldap.State);
        Assert.Contains("unsupported scheme: ldap://ldap.example", ldap.Detail, StringComparison.Ordinal);
        Assert.Equal(RevocationState.Unknown, down.State);
        Assert.Contains("could not be fetched", down.Detail, StringComparison.Ordinal);
    }

    private CrlDistributionPointCache<TestCrl> Cache(FetchingSetup setup, CrlDistributionPointCacheOptions options)
    {
        Own(setup);
        return Own(new CrlDistributionPointCache<TestCrl>(setup.Fetcher, TestCrls.Read, options, epoch, TimeProvider.System, NullLogger.Instance));
    }

    private CrlDistributionPointCache<TestCrl> Cache(FetchingSetup setup, string? folder = "")
        => Cache(setup, new CrlDistributionPointCacheOptions { CacheFolder = folder == string.Empty ? cacheFolder : folder });

    private T Own<T>(T item)
        where T : IDisposable
    {
        owned.Add(item);
        return item;
    }

    /// <summary>A CRL of the test CA valid from a minute ago for <paramref name="lifetime"/>, listing <paramref name="revoked"/> without a reason.</summary>
    private byte[] Crl(TimeSpan lifetime, params X509Certificate2[] revoked) => ca.CreateCrl(revoked, reason: null, crl =>
    {
        crl.ThisUpdate = DateTimeOffset.UtcNow.AddMinutes(-1);
        crl.NextUpdate = DateTimeOffset.UtcNow + lifetime;
    });

    /// <summary>A client certificate naming the given CRL distribution points (none: no extension).</summary>
    private X509Certificate2 Issue(params string[] crlUrls) => ca.Issue("CN=cdp client", profile =>
    {
        foreach (var url in crlUrls)
        {
            profile.CrlDistributionPoints.Add(url);
        }
    });
}
