using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using MtlsGateway.Tests.Revocation.Fetching;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;
using MtlsGateway.Validation.Revocation.Fetching;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Revocation.Crl;

/// <summary>The CRL reader behind the crl-fetch source: a real CRL served by a real loopback HTTP server.</summary>
public sealed class FetchedCrlsTests : IDisposable
{
    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private readonly TestCa ca = TestCa.CreateRoot("Fetched CRL CA");
    private readonly FetchingSetup fetching = new();

    public void Dispose()
    {
        fetching.Dispose();
        ca.Dispose();
    }

    [Fact]
    public async Task A_downloaded_crl_is_judged_like_a_local_one()
    {
        byte[] served = [];
        using var server = LoopbackHttpServer.Serving(() => served);
        var url = new Uri(server.BaseUrl, "ca.crl").AbsoluteUri;
        using var revokedClient = ca.IssueLeaf("fetched-revoked", crlDistributionPoint: url);
        using var goodClient = ca.IssueLeaf("fetched-good", crlDistributionPoint: url);
        served = TestCrlWriter.Write(ca.Name, ca.SignatureGenerator(), now.AddHours(-1), now.AddDays(1), [
            new TestCrlEntry(revokedClient.SerialNumberBytes.ToArray(), now.AddMinutes(-5), X509RevocationReason.AffiliationChanged),
        ]);
        using var cache = new CrlDistributionPointCache<CrlSet>(fetching.Fetcher, FetchedCrls.Read, new CrlDistributionPointCacheOptions(), new ValidationEpoch(), TimeProvider.System, NullLogger.Instance);
        var check = new RevocationCheck(RevocationMode.Require, RevocationScope.EndEntity, [new CrlFetchRevocationSource<CrlSet>(cache, FetchedCrls.Lookup(TimeSpan.FromMinutes(5)))]);

        var revoked = await check.CheckAsync(new CertificatePath([revokedClient, ca.Certificate]), now, CancellationToken.None);
        var good = await check.CheckAsync(new CertificatePath([goodClient, ca.Certificate]), now, CancellationToken.None);

        Assert.Equal(RefusalReason.Revoked, revoked.Refusal);
        Assert.Contains("affiliationChanged", revoked.Detail);
        Assert.Contains("crl-fetch", revoked.Detail);
        Assert.True(good.Passed, good.Detail);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_downloaded_crl_signed_by_another_key_is_unknown()
    {
        using var impostor = TestCa.CreateRoot("Fetched CRL CA");
        var forged = TestCrlWriter.Write(ca.Name, impostor.SignatureGenerator(), now.AddHours(-1), now.AddDays(1), []);
        using var server = LoopbackHttpServer.Serving(() => forged);
        using var client = ca.IssueLeaf("fetched-forged", crlDistributionPoint: new Uri(server.BaseUrl, "ca.crl").AbsoluteUri);
        using var cache = new CrlDistributionPointCache<CrlSet>(fetching.Fetcher, FetchedCrls.Read, new CrlDistributionPointCacheOptions(), new ValidationEpoch(), TimeProvider.System, NullLogger.Instance);
        var source = new CrlFetchRevocationSource<CrlSet>(cache, FetchedCrls.Lookup(TimeSpan.FromMinutes(5)));

        var status = await source.GetStatusAsync(new CertificatePath([client, ca.Certificate]), 0, now, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("signature does not verify", status.Detail);
    }

    [Fact]
    public async Task A_delta_crl_named_by_the_downloaded_crl_is_fetched_once_and_applied()
    {
        var bodies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var requests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var server = Routing(bodies, requests);
        var baseUrl = new Uri(server.BaseUrl, "base.crl").AbsoluteUri;
        var deltaUrl = new Uri(server.BaseUrl, "delta.crl").AbsoluteUri;
        using var client = ca.IssueLeaf("delta-fetched", crlDistributionPoint: baseUrl);
        using var other = ca.IssueLeaf("delta-fetched-other", crlDistributionPoint: baseUrl);
        bodies["/base.crl"] = TestCrlWriter.Write(ca.Name, ca.SignatureGenerator(), now.AddDays(-1), now.AddDays(6), [], [TestCrlWriter.CrlNumber(10), TestCrlWriter.FreshestCrl(deltaUrl)]);
        bodies["/delta.crl"] = TestCrlWriter.Write(ca.Name, ca.SignatureGenerator(), now.AddMinutes(-5), now.AddHours(1), [
            new TestCrlEntry(client.SerialNumberBytes.ToArray(), now.AddMinutes(-10), X509RevocationReason.KeyCompromise),
        ], [TestCrlWriter.CrlNumber(11), TestCrlWriter.DeltaCrlIndicator(10)]);
        using var cache = NewCache();
        var source = new CrlFetchRevocationSource<CrlSet>(cache, FetchedCrls.Lookup(TimeSpan.FromMinutes(5)), FetchedCrls.DeltaLocations);

        var revoked = await source.GetStatusAsync(new CertificatePath([client, ca.Certificate]), 0, now, CancellationToken.None);
        var good = await source.GetStatusAsync(new CertificatePath([other, ca.Certificate]), 0, now, CancellationToken.None);

        Assert.Equal(RevocationState.Revoked, revoked.State);
        Assert.Contains("delta CRL 11", revoked.Detail);
        Assert.Equal(RevocationState.Good, good.State);
        Assert.Equal(["/base.crl", "/delta.crl"], requests.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_base_whose_announced_delta_cannot_be_fetched_is_unknown()
    {
        var bodies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var server = Routing(bodies, new System.Collections.Concurrent.ConcurrentQueue<string>());
        var baseUrl = new Uri(server.BaseUrl, "base.crl").AbsoluteUri;
        using var client = ca.IssueLeaf("delta-missing", crlDistributionPoint: baseUrl);
        bodies["/base.crl"] = TestCrlWriter.Write(ca.Name, ca.SignatureGenerator(), now.AddDays(-1), now.AddDays(6), [], [
            TestCrlWriter.CrlNumber(10), TestCrlWriter.FreshestCrl(new Uri(server.BaseUrl, "gone.crl").AbsoluteUri),
        ]);
        using var cache = NewCache();
        var source = new CrlFetchRevocationSource<CrlSet>(cache, FetchedCrls.Lookup(TimeSpan.FromMinutes(5)), FetchedCrls.DeltaLocations);

        var status = await source.GetStatusAsync(new CertificatePath([client, ca.Certificate]), 0, now, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("announces delta CRLs", status.Detail);
        Assert.Contains("404", status.Detail);
    }

    [Fact]
    public async Task The_certificates_own_freshest_crl_is_followed_and_unsupported_locations_are_reported()
    {
        var bodies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var server = Routing(bodies, new System.Collections.Concurrent.ConcurrentQueue<string>());
        var baseUrl = new Uri(server.BaseUrl, "base.crl").AbsoluteUri;
        var freshest = new X509Extension("2.5.29.46", TestDistributionPoints.Extension(new TestDistributionPoint(Uri: new Uri(server.BaseUrl, "delta.crl").AbsoluteUri)).RawData, critical: false);
        using var client = ca.IssueLeaf("certificate-delta", crlDistributionPoint: baseUrl, extensions: [freshest]);
        bodies["/base.crl"] = TestCrlWriter.Write(ca.Name, ca.SignatureGenerator(), now.AddDays(-1), now.AddDays(6), [], [TestCrlWriter.CrlNumber(10), TestCrlWriter.FreshestCrl("ldap://directory.example/cn=delta")]);
        bodies["/delta.crl"] = TestCrlWriter.Write(ca.Name, ca.SignatureGenerator(), now.AddMinutes(-5), now.AddHours(1), [
            new TestCrlEntry(client.SerialNumberBytes.ToArray(), now.AddMinutes(-10), X509RevocationReason.Superseded),
        ], [TestCrlWriter.CrlNumber(11), TestCrlWriter.DeltaCrlIndicator(10)]);
        using var cache = NewCache();
        var source = new CrlFetchRevocationSource<CrlSet>(cache, FetchedCrls.Lookup(TimeSpan.FromMinutes(5)), FetchedCrls.DeltaLocations);

        var status = await source.GetStatusAsync(new CertificatePath([client, ca.Certificate]), 0, now, CancellationToken.None);

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Equal("superseded", status.RevocationReason);
        Assert.Equal("ldap://directory.example/cn=delta", Assert.Single(FetchedCrls.DeltaLocations(FetchedCrls.Read(bodies["/base.crl"])!.Crl).Unsupported));
    }

    private CrlDistributionPointCache<CrlSet> NewCache() =>
        new(fetching.Fetcher, FetchedCrls.Read, new CrlDistributionPointCacheOptions(), new ValidationEpoch(), TimeProvider.System, NullLogger.Instance);

    private static LoopbackHttpServer Routing(Dictionary<string, byte[]> bodies, System.Collections.Concurrent.ConcurrentQueue<string> requests) => new(async context =>
    {
        var path = context.Request.Url!.AbsolutePath;
        requests.Enqueue(path);
        if (!bodies.TryGetValue(path, out var body))
        {
            context.Response.StatusCode = 404;
            context.Response.Close();
            return;
        }

        context.Response.ContentType = "application/pkix-crl";
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    });

    [Fact]
    public void Bytes_that_are_no_crl_or_have_no_next_update_are_not_read()
    {
        Assert.Null(FetchedCrls.Read("<html>not found</html>"u8.ToArray()));
        Assert.Null(FetchedCrls.Read(TestCrlWriter.Write(ca.Name, ca.SignatureGenerator(), now, null, [])));
        Assert.NotNull(FetchedCrls.Read(TestCrlWriter.Write(ca.Name, ca.SignatureGenerator(), now, now.AddDays(1), [])));
    }
}
