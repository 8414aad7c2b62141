using System.Net;
using System.Text.Json.Nodes;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.IntegrationTests.Outbound;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.ClientCertificates;

/// <summary>
/// The real executable, running as an unprivileged user as the image does, has its trust folder and its CRL folder
/// made unreadable under it (<c>chmod 000</c>). On main this ended the process with an unhandled
/// UnauthorizedAccessException from the folder watcher. Now: the process stays up, serves with the last good data,
/// logs one line per folder, reports not ready naming the folder, and recovers when the folder is readable again.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UnreadableFolderProcessTests : IDisposable
{
    private readonly TestPki pki = new();
    private readonly UnprivilegedUser user = new();
    private readonly string contentRoot;

    public UnreadableFolderProcessTests() => contentRoot = TestGateway.WriteContentRoot(pki);

    public void Dispose()
    {
        foreach (var folder in new[] { "trust", "crl" })
        {
            File.SetUnixFileMode(Path.Combine(contentRoot, folder), (UnixFileMode)0b111_101_101);
        }

        user.Dispose();
        pki.Dispose();
        Directory.Delete(contentRoot, recursive: true);
    }

    [Fact]
    public async Task Trust_and_CRL_folders_made_unreadable_keep_the_process_serving_not_ready_and_it_recovers()
    {
        await using var upstream = await TestUpstream.StartAsync();
        var admin = new Uri($"http://127.0.0.1:{LoopbackPort.Unused()}");
        var settings = TestGateway.BaseSettings(upstream.Address);
        settings["Gateway:Admin:Url"] = admin.ToString();
        settings["Gateway:ClientCertificates:Revocation:Mode"] = "Require";
        File.WriteAllText(Path.Combine(contentRoot, "appsettings.json"), OutboundGateway.AsJson(settings));
        UnprivilegedUser.Own(contentRoot);
        var (gateway, address) = await user.StartGatewayAsync(contentRoot, new Dictionary<string, string?>());
        await using var _ = gateway;
        using var client = MutualTlsClient.Create(address, pki.Server, pki.Client("steady"));
        using var probe = new HttpClient { BaseAddress = admin };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        var trust = Path.Combine(contentRoot, "trust");
        var crl = Path.Combine(contentRoot, "crl");

        File.SetUnixFileMode(trust, UnixFileMode.None);
        File.SetUnixFileMode(crl, UnixFileMode.None);
        await gateway.WaitForLineAsync(l => l.Contains("Trust list reload failed", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await gateway.WaitForLineAsync(l => l.Contains("CRL files reload failed", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var readiness = await Eventually.ReturnsAsync(() => ReadinessAsync(probe), r => r.Status == HttpStatusCode.ServiceUnavailable, "not ready");
        var status = JsonNode.Parse(await probe.GetStringAsync(new Uri("/status", UriKind.Relative)))!;

        Assert.False(gateway.HasExited, gateway.Output);
        Assert.Contains($"{trust}: the folder cannot be read (permission denied)", readiness.Body, StringComparison.Ordinal);
        Assert.Contains($"{crl}: the folder cannot be read (permission denied)", readiness.Body, StringComparison.Ordinal);
        Assert.Contains("permission denied", status["trustList"]!["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("permission denied", status["revocation"]!["crlFiles"]!["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        using (var duringFault = await client.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, duringFault.StatusCode);
        }

        using (var newConnection = MutualTlsClient.Create(address, pki.Server, pki.Client("new-during-fault")))
        {
            Assert.Equal(HttpStatusCode.OK, (await newConnection.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        }

        // Several periodic re-checks (1 s apart) later, still one line per folder.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(gateway.Output.Split('\n'), l => l.Contains("Trust list reload failed", StringComparison.Ordinal));
        Assert.Single(gateway.Output.Split('\n'), l => l.Contains("CRL files reload failed", StringComparison.Ordinal));

        File.SetUnixFileMode(trust, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(crl, (UnixFileMode)0b111_101_101);
        await Eventually.ReturnsAsync(() => ReadinessAsync(probe), r => r.Status == HttpStatusCode.OK, "ready again", TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        Assert.False(gateway.HasExited);
        Assert.DoesNotContain("Unhandled exception", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", gateway.Output, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadinessAsync(HttpClient probe)
    {
        using var response = await probe.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
