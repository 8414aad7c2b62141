using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Tests.Validation.Revocation.Fetching;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;
using MtlsGateway.Validation.Revocation.Fetching;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Validation.Revocation.Crl;

/// <summary>The CRL reader behind the crl-fetch source: a real CRL served by a real loopback HTTP server.</summary>
public sealed class FetchedCrlsTests : IDisposable
{
    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private readonly TestCa ca = TestCa.CreateRoot("CN=Fetched CRL CA");
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
        using var server = TestUpstream.Serving(() => served);
        var url = new Uri(server.Address, "ca.crl").AbsoluteUri;
        using var revokedClient = ca.Issue("CN=fetched-revoked", profile => profile.CrlDistributionPoints.Add(url));
        using var goodClient = ca.Issue("CN=fetched-good", profile => profile.CrlDistributionPoints.Add(url));
        served = ca.CreateCrl(crl => Dated(crl).Revoke(revokedClient, X509RevocationReason.AffiliationChanged, now.AddMinutes(-5)));
        using var cache = new CrlDistributionPointCache<CrlSet>(fetching.Fetcher, FetchedCrls.Read, new CrlDistributionPointCacheOptions(), new ValidationEpoch(), TimeProvider.System, NullLogger.Instance);
        var check = new RevocationCheck(RevocationMode.Require, RevocationScope.EndEntity, [new CrlFetchRevocationSource<CrlSet>(cache, FetchedCrls.Lookup(TimeSpan.FromMinutes(5)))]);

        var revoked = await check.CheckAsync(new CertificatePath([revokedClient, ca.Certificate]), now, CancellationToken.None);
        var good = await check.CheckAsync(new CertificatePath([goodClient, ca.Certificate]), now, CancellationToken.None);

        Assert.Equal(RefusalReason.Revoked, revoked.Refusal);
        Assert.Contains("affiliationChanged", revoked.Detail);
        Assert.Contains("crl-fetch", revoked.Detail);
        Assert.True(good.Passed, good.Detail);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_downloaded_crl_signed_by_another_key_is_unknown()
    {
        using var impostor = TestCa.CreateRoot("CN=Fetched CRL CA");
        var forged = ca.CreateCrl(crl => Dated(crl).Signer = impostor.Certificate);
        using var server = TestUpstream.Serving(() => forged);
        using var client = ca.Issue("CN=fetched-forged", profile => profile.CrlDistributionPoints.Add(new Uri(server.Address, "ca.crl").AbsoluteUri));
        using var cache = new CrlDistributionPointCache<CrlSet>(fetching.Fetcher, FetchedCrls.Read, new CrlDistributionPointCacheOptions(), new ValidationEpoch(), TimeProvider.System, NullLogger.Instance);
        var source = new CrlFetchRevocationSource<CrlSet>(cache, FetchedCrls.Lookup(TimeSpan.FromMinutes(5)));

        var status = await source.GetStatusAsync(new CertificatePath([client, ca.Certificate]), 0, now, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("signature does not verify", status.Detail);
    }

    [Fact]
    public async Task A_delta_crl_named_by_the_downloaded_crl_is_fetched_once_and_applied()
    {
        var bodies = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        var requests = new ConcurrentQueue<string>();
        await using var server = await Routing(bodies, requests);
        var baseUrl = new Uri(server.Address, "base.crl").AbsoluteUri;
        var deltaUrl = new Uri(server.Address, "delta.crl").AbsoluteUri;
        using var client = ca.Issue("CN=delta-fetched", profile => profile.CrlDistributionPoints.Add(baseUrl));
        using var other = ca.Issue("CN=delta-fetched-other", profile => profile.CrlDistributionPoints.Add(baseUrl));
        bodies["/base.crl"] = Base(TestExtensions.FreshestCrl(new DistributionPoint(Uri: deltaUrl)));
        bodies["/delta.crl"] = Delta(client, X509RevocationReason.KeyCompromise);
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
        var bodies = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        await using var server = await Routing(bodies, new ConcurrentQueue<string>());
        var baseUrl = new Uri(server.Address, "base.crl").AbsoluteUri;
        using var client = ca.Issue("CN=delta-missing", profile => profile.CrlDistributionPoints.Add(baseUrl));
        bodies["/base.crl"] = Base(TestExtensions.FreshestCrl(new DistributionPoint(Uri: new Uri(server.Address, "gone.crl").AbsoluteUri)));
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
        var bodies = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        await using var server = await Routing(bodies, new ConcurrentQueue<string>());
        var baseUrl = new Uri(server.Address, "base.crl").AbsoluteUri;
        var freshest = TestExtensions.FreshestCrl(new DistributionPoint(Uri: new Uri(server.Address, "delta.crl").AbsoluteUri));
        using var client = ca.Issue("CN=certificate-delta", profile =>
        {
            profile.CrlDistributionPoints.Add(baseUrl);
            profile.Extensions.Add(freshest);
        });
        bodies["/base.crl"] = Base(TestExtensions.FreshestCrl(new DistributionPoint(Uri: "ldap://directory.example/cn=delta")));
        bodies["/delta.crl"] = Delta(client, X509RevocationReason.Superseded);
        using var cache = NewCache();
        var source = new CrlFetchRevocationSource<CrlSet>(cache, FetchedCrls.Lookup(TimeSpan.FromMinutes(5)), FetchedCrls.DeltaLocations);

        var status = await source.GetStatusAsync(new CertificatePath([client, ca.Certificate]), 0, now, CancellationToken.None);

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Equal("superseded", status.RevocationReason);
        Assert.Equal("ldap://directory.example/cn=delta", Assert.Single(FetchedCrls.DeltaLocations(FetchedCrls.Read(bodies["/base.crl"])!.Crl).Unsupported));
    }

    private CrlDistributionPointCache<CrlSet> NewCache() =>
        new(fetching.Fetcher, FetchedCrls.Read, new CrlDistributionPointCacheOptions(), new ValidationEpoch(), TimeProvider.System, NullLogger.Instance);

    /// <summary>A complete CRL, number 10, announcing its delta CRLs where <paramref name="freshestCrl"/> says.</summary>
    private byte[] Base(X509Extension freshestCrl) => ca.CreateCrl(crl =>
    {
        crl.ThisUpdate = now.AddDays(-1);
        crl.NextUpdate = now.AddDays(6);
        crl.Number = 10;
        crl.Extensions.Add(freshestCrl);
    });

    /// <summary>Delta CRL 11 on complete CRL 10, revoking <paramref name="certificate"/>.</summary>
    private byte[] Delta(X509Certificate2 certificate, X509RevocationReason reason) => ca.CreateCrl(crl =>
    {
        crl.ThisUpdate = now.AddMinutes(-5);
        crl.NextUpdate = now.AddHours(1);
        crl.Number = 11;
        crl.Revoke(certificate, reason, now.AddMinutes(-10)).DeltaOf(10);
    });

    /// <summary>A real HTTP server answering each path with its bytes, 404 otherwise, recording the paths asked for.</summary>
    private static Task<TestUpstream> Routing(ConcurrentDictionary<string, byte[]> bodies, ConcurrentQueue<string> requests) =>
        TestUpstream.StartAsync(options => options.Handler = async context =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            requests.Enqueue(path);
            if (!bodies.TryGetValue(path, out var body))
            {
                context.Response.StatusCode = 404;
                return;
            }

            context.Response.ContentType = "application/pkix-crl";
            await context.Response.Body.WriteAsync(body);
        });

    [Fact]
    public void Bytes_that_are_no_crl_or_have_no_next_update_are_not_read()
    {
        Assert.Null(FetchedCrls.Read("<html>not found</html>"u8.ToArray()));
        Assert.Null(FetchedCrls.Read(ca.CreateCrl(crl => crl.NextUpdate = null)));
        Assert.NotNull(FetchedCrls.Read(ca.CreateCrl(crl => crl.NextUpdate = now.AddDays(1))));
    }

    private CrlProfile Dated(CrlProfile crl)
    {
        crl.ThisUpdate = now.AddHours(-1);
        crl.NextUpdate = now.AddDays(1);
        return crl;
    }
}
