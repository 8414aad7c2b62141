using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.Admin;
using MtlsGateway.Hosting;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.Admin;

/// <summary>The admin listener of a real gateway: health, readiness from the trust list, status, and its separation from mTLS.</summary>
public sealed class AdminListenerTests : GatewayPerTest
{
    private readonly HttpClient admin = new() { Timeout = TimeSpan.FromSeconds(10) };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        admin.BaseAddress = gateway.Services.GetRequiredService<AdminListener>().Address;
    }

    public override async Task DisposeAsync()
    {
        admin.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Readiness_turns_503_while_the_trust_files_cannot_be_loaded_and_back_to_200_once_fixed()
    {
        using (var live = await admin.GetAsync("/healthz/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        var ready = await ReadinessAsync();
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("ready", (string?)ready.Body["status"]);
        Assert.Equal(["outbound_identities", "proxy_configuration", "revocation", "trust_list"], ready.Body["checks"]!.AsArray().Select(check => (string)check!["name"]!).Order());

        var anchorFile = Path.Combine(gateway.TrustFolder, "root.pem");
        var good = File.ReadAllText(anchorFile);
        AtomicFile.Write(anchorFile, "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
        var broken = await EventuallyAsync(HttpStatusCode.ServiceUnavailable, "readiness to report the broken trust file");
        Assert.Equal("not_ready", (string?)broken["status"]);
        var trustCheck = broken["checks"]!.AsArray().Single(check => (string?)check!["name"] == "trust_list")!;
        Assert.False((bool)trustCheck["ready"]!);
        Assert.Contains("root.pem", (string?)trustCheck["detail"], StringComparison.Ordinal);

        // The last good list keeps serving meanwhile (fail closed on readiness, not on traffic already trusted).
        using (var client = gateway.CreateClient(pki.Client("during-outage")))
        using (var response = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        AtomicFile.Write(anchorFile, good);
        var fixedAgain = await EventuallyAsync(HttpStatusCode.OK, "readiness to recover");
        Assert.Equal("ready", (string?)fixedAgain["status"]);
    }

    [Fact]
    public async Task Status_reports_trust_anchors_certificate_expiries_and_the_proxy_configuration()
    {
        using var response = await admin.GetAsync("/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var anchor = Assert.Single(status["trustList"]!["anchors"]!.AsArray())!;
        Assert.Equal(pki.Root.Certificate.Subject, (string?)anchor["subject"]);
        Assert.Null((string?)status["trustList"]!["lastError"]);
        Assert.NotNull((string?)status["trustList"]!["loadedAt"]);

        var certificates = status["certificates"]!.AsArray();
        var server = Assert.Single(certificates, certificate => (string?)certificate!["role"] == "server")!;
        Assert.Equal(pki.Server.Subject, (string?)server["subject"]);
        var expectedSeconds = (pki.Server.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalSeconds;
        Assert.InRange((double)server["secondsUntilExpiry"]!, expectedSeconds - 120, expectedSeconds + 1);
        Assert.Contains(certificates, certificate => (string?)certificate!["role"] == "trust_anchor" && (string?)certificate["subject"] == pki.Root.Certificate.Subject);

        var proxy = status["proxyConfiguration"]!;
        Assert.NotNull((string?)proxy["appliedAt"]);
        Assert.Equal(1, (int)proxy["routes"]!);
        Assert.Equal(1, (int)proxy["clusters"]!);
        var revocation = status["revocation"]!;
        Assert.Equal("Require", (string?)revocation["mode"]);
        var crl = Assert.Single(revocation["crlFiles"]!["crls"]!.AsArray())!;
        Assert.Equal(pki.Root.Certificate.Subject, (string?)crl["issuer"]);
        Assert.InRange((double)crl["secondsUntilNextUpdate"]!, TimeSpan.FromDays(6).TotalSeconds, TimeSpan.FromDays(7).TotalSeconds);
        Assert.True((bool)revocation["ocsp"]!["enabled"]!);
        Assert.NotNull((string?)status["configuration"]!["startedAt"]);
    }

    [Fact]
    public async Task The_admin_endpoints_are_not_served_on_the_mutual_TLS_port()
    {
        Assert.NotEqual(gateway.Address.Port, admin.BaseAddress!.Port);
        using var client = gateway.CreateClient(pki.Client("curious"));
        foreach (var path in new[] { "/healthz/ready", "/healthz/live", "/status" })
        {
            using var response = await client.GetAsync(path);

            // The request went through validation and the proxy to the upstream, which echoes what it received.
            Assert.Equal(path, (await Echo.ReadAsync(response)).Path);
        }

        // And without a client certificate the mTLS port refuses, health or not.
        using var anonymous = gateway.CreateClient(null);
        using var refused = await anonymous.GetAsync("/healthz/live");
        await ProblemAssert.RefusedAsync(refused, "certificate-required");
    }

    [Fact]
    public async Task The_healthcheck_verb_exits_0_when_ready_and_1_when_nothing_answers()
    {
        using var folder = new TempFolder("mtlsgateway-healthcheck-");
        var ready = await GatewayProcess.RunAsync(folder.Path, "healthcheck", new Uri(admin.BaseAddress!, "/healthz/ready").ToString());
        Assert.Equal(0, ready.ExitCode);
        Assert.StartsWith("200 ", ready.StandardOutput, StringComparison.Ordinal);

        var port = LoopbackPort.Unused();
        var down = await GatewayProcess.RunAsync(folder.Path, "healthcheck", $"http://127.0.0.1:{port}/healthz/ready");
        Assert.Equal(1, down.ExitCode);
        Assert.DoesNotContain("   at ", down.StandardError, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> ReadinessAsync()
    {
        using var response = await admin.GetAsync("/healthz/ready");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private async Task<JsonNode> EventuallyAsync(HttpStatusCode expected, string what) =>
        (await Eventually.ReturnsAsync(ReadinessAsync, readiness => readiness.Status == expected, what)).Body;
}

/// <summary>With Mode Require and CRL files as the only source, readiness follows the CRL files' usability.</summary>
public sealed class RevocationReadinessTests : GatewayPerTest
{
    private HttpClient admin = null!;

    public RevocationReadinessTests()
        : base(settings: new Dictionary<string, string?>
        {
            ["Gateway:ClientCertificates:Revocation:Mode"] = "Require",
            ["Gateway:ClientCertificates:Revocation:FetchCrls"] = "false",
            ["Gateway:ClientCertificates:Revocation:Ocsp"] = "false",
        })
    {
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        admin = new HttpClient { BaseAddress = gateway.Services.GetRequiredService<AdminListener>().Address };
    }

    public override async Task DisposeAsync()
    {
        admin?.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_stale_CRL_with_no_other_source_makes_the_instance_not_ready_until_a_fresh_one_arrives()
    {
        Assert.Equal(HttpStatusCode.OK, await ReadyStatusAsync());

        await gateway.PublishCrlAsync(pki.Root, [], nextUpdate: DateTimeOffset.UtcNow.AddMinutes(-30), thisUpdate: DateTimeOffset.UtcNow.AddHours(-2));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadyStatusAsync());
        var check = JsonNode.Parse(await admin.GetStringAsync("/status"))!;
        Assert.True((double)check["revocation"]!["crlFiles"]!["crls"]![0]!["secondsUntilNextUpdate"]! < 0);

        await gateway.PublishCrlAsync(pki.Root, [], nextUpdate: DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal(HttpStatusCode.OK, await ReadyStatusAsync());
    }

    private async Task<HttpStatusCode> ReadyStatusAsync()
    {
        using var response = await admin.GetAsync("/healthz/ready");
        return response.StatusCode;
    }
}

/// <summary><c>Gateway:Admin:Url</c> is checked at start-up, before anything listens.</summary>
public sealed class AdminUrlConfigurationTests : IDisposable
{
    private readonly TestPki pki = new();

    public void Dispose() => pki.Dispose();

    [Theory]
    [InlineData("https://127.0.0.1:9090", "plain HTTP only")]
    [InlineData("127.0.0.1:9090", "is not of the form http://host:port")]
    [InlineData("http://127.0.0.1", "is not of the form http://host:port")]
    [InlineData("http://127.0.0.1:9090/admin", "is not of the form http://host:port")]
    [InlineData("http://127.0.0.1:99999", "is not of the form http://host:port")]
    public async Task A_malformed_admin_url_stops_start_up_naming_the_setting(string url, string problem)
    {
        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(pki, new Dictionary<string, string?> { ["Gateway:Admin:Url"] = url }));
        Assert.StartsWith("Gateway:Admin:Url", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}

/// <summary><c>/status</c> reports when appsettings.json was reloaded.</summary>
public sealed class ConfigurationReloadStatusTests : IDisposable
{
    private const string Settings = """{ "ReverseProxy": { "Routes": { "all": { "ClusterId": "upstream", "Match": { "Path": "{**catch-all}" } } } } }""";
    private readonly TestPki pki = new();

    public void Dispose() => pki.Dispose();

    [Fact]
    public async Task An_edited_appsettings_file_shows_up_as_a_reload_time()
    {
        await using var gateway = await TestGateway.StartAsync(pki, appsettingsJson: Settings);
        using var admin = new HttpClient { BaseAddress = gateway.Services.GetRequiredService<AdminListener>().Address };
        Assert.Null((string?)(await StatusAsync(admin))["configuration"]!["reloadedAt"]);

        File.WriteAllText(Path.Combine(gateway.ContentRoot, "appsettings.json"), Settings.Replace("{**catch-all}", "/{**rest}", StringComparison.Ordinal));
        await Eventually.HoldsAsync(async () => (string?)(await StatusAsync(admin))["configuration"]!["reloadedAt"] is not null, "the reload to be reported");

        Assert.NotNull((string?)(await StatusAsync(admin))["proxyConfiguration"]!["appliedAt"]);
    }

    private static async Task<JsonNode> StatusAsync(HttpClient admin) => JsonNode.Parse(await admin.GetStringAsync("/status"))!;
}
