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
