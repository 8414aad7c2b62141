using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.Revocation;

/// <summary>CRLs from files and from distribution points, through the real gateway, in Require (the default) mode.</summary>
public sealed class CrlRevocationTests : GatewayPerTest
{
    [Fact]
    public async Task Revoked_client_is_refused_with_the_reason_in_the_log_and_others_pass()
    {
        var revoked = pki.Client("stolen");
        await gateway.PublishCrlAsync(pki.Root, [revoked]);

        using (var client = gateway.CreateClient(revoked))
        using (var response = await client.GetAsync("/"))
        {
            var problem = await ProblemAssert.RefusedAsync(response, "revoked");
            Assert.Contains("CN=stolen", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var logged = Assert.Single(gateway.Logs.Events, e => e.EventId.Id == 1001 && Equals(e.Fields["Subject"], revoked.Subject));
        Assert.Equal("revoked", logged.Fields["Reason"]);
        Assert.Contains("KeyCompromise", (string)logged.Fields["Detail"]!, StringComparison.OrdinalIgnoreCase);

        using var other = gateway.CreateClient(pki.Client("honest"));
        using var accepted = await other.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_revocation_reaches_an_already_open_keep_alive_connection()
    {
        using var measurements = new GatewayMeasurements(gateway, GatewayMeasurements.Handshakes);
        var certificate = pki.Client("kept-alive");
        using var client = gateway.CreateClient(certificate);
        using (var first = await client.GetAsync("/before"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await gateway.PublishCrlAsync(pki.Root, [certificate]);
        using (var second = await client.GetAsync("/after"))
        {
            await ProblemAssert.RefusedAsync(second, "revoked");
        }

        Assert.Equal(1, measurements.Total(GatewayMeasurements.Handshakes)); // the same TLS connection served both requests
    }

    [Fact]
    public async Task Stale_CRL_makes_the_status_unknown()
    {
        await gateway.PublishCrlAsync(pki.Root, [], nextUpdate: DateTimeOffset.UtcNow.AddDays(-1), thisUpdate: DateTimeOffset.UtcNow.AddDays(-8));
        using var client = gateway.CreateClient(pki.Client("anyone"));
        using var response = await client.GetAsync("/");
        var problem = await ProblemAssert.RefusedAsync(response, "revocation-unknown");
        Assert.Contains("stale", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CRL_with_a_bad_signature_is_not_used()
    {
        // Same issuer name, different key: the CRL claims to come from the trusted CA but cannot be verified with its key.
        using var impostor = TestCa.CreateRoot(pki.Root.Certificate.Subject);
        var forged = impostor.CreateCrl();
        File.Delete(Path.Combine(gateway.CrlFolder, TestGateway.CrlFileName(pki.Root)));
        await File.WriteAllBytesAsync(Path.Combine(gateway.CrlFolder, "forged.crl"), forged);
        await EventuallyRefusedAsync("revocation-unknown");
    }

    [Fact]
    public async Task A_broken_CRL_file_keeps_the_last_good_CRLs()
    {
        var revoked = pki.Client("still-revoked");
        await gateway.PublishCrlAsync(pki.Root, [revoked]);
        var name = Path.Combine(gateway.CrlFolder, TestGateway.CrlFileName(pki.Root));
        await File.WriteAllTextAsync(name, "-----BEGIN X509 CRL-----\ngarbage\n-----END X509 CRL-----\n");
        await Eventually.HoldsAsync(
            () => gateway.Logs.Events.Any(e => e.Category.Contains("CrlFileStore", StringComparison.Ordinal) && e.Level >= Microsoft.Extensions.Logging.LogLevel.Error),
            "the reload error to be logged");

        using var client = gateway.CreateClient(revoked);
        using var response = await client.GetAsync("/");
        await ProblemAssert.RefusedAsync(response, "revoked");
    }

    private async Task EventuallyRefusedAsync(string reason)
    {
        using var refused = await Eventually.ReturnsAsync(
            async () =>
            {
                using var client = gateway.CreateClient(pki.Client("probe"));
                return await client.GetAsync("/");
            },
            response => response.StatusCode == HttpStatusCode.Forbidden,
            $"a refusal as {reason}");
        await ProblemAssert.RefusedAsync(refused, reason);
    }
}

/// <summary>CRLs downloaded from the distribution point named in the client certificate.</summary>
public sealed class CrlDistributionPointTests : GatewayPerTest
{
    private byte[] servedCrl = [];
    private TestUpstream crlServer = null!;

    public CrlDistributionPointTests()
        : base(settings: new Dictionary<string, string?>
        {
            // No local CRL: the distribution point is the only source.
            ["Gateway:ClientCertificates:Revocation:CrlFiles:0"] = null,
            ["Gateway:ClientCertificates:Revocation:Ocsp"] = "false",
            ["Gateway:ClientCertificates:Revocation:CrlCacheFolder"] = "crl-cache",
        })
    {
    }

    public override async Task InitializeAsync()
    {
        servedCrl = pki.Root.CreateCrl();
        crlServer = await TestUpstream.StartAsync(options => options.Serving(() => servedCrl));
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await crlServer.DisposeAsync();
    }

    [Fact]
    public async Task Good_and_revoked_are_read_from_the_downloaded_CRL_which_is_fetched_once_and_kept_on_disk()
    {
        var revoked = WithDistributionPoint("revoked");
        servedCrl = pki.Root.CreateCrl([revoked]);

        for (var i = 0; i < 3; i++)
        {
            using var client = gateway.CreateClient(pki.Root.Issue($"CN=good-{i}", AddDistributionPoint));
            using var response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var client = gateway.CreateClient(revoked))
        using (var response = await client.GetAsync("/"))
        {
            await ProblemAssert.RefusedAsync(response, "revoked");
        }

        Assert.Equal(1, crlServer.Requests);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(gateway.ContentRoot, "crl-cache")));
    }

    [Fact]
    public async Task An_unreachable_distribution_point_is_revocation_unknown_within_the_fetch_timeout()
    {
        var port = LoopbackPort.Unused();
        var certificate = pki.Root.Issue("CN=dead-cdp", profile => profile.CrlDistributionPoints.Add($"http://127.0.0.1:{port}/root.crl"));
        using var client = gateway.CreateClient(certificate);
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync("/");
        await ProblemAssert.RefusedAsync(response, "revocation-unknown");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    private X509Certificate2 WithDistributionPoint(string name) =>
        pki.Root.Issue($"CN={name}", AddDistributionPoint);

    private void AddDistributionPoint(CertificateProfile profile) =>
        profile.CrlDistributionPoints.Add(new Uri(crlServer.Address, "root.crl").AbsoluteUri);
}
