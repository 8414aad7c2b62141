using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.IntegrationTests.Tls;

/// <summary>
/// The real executable keeps the Kestrel endpoints and server certificate it checked at start-up: a plain-http endpoint
/// added to appsettings.json while running does not open, a mismatched key and a garbage certificate written over the
/// server's files do not take the endpoint down, and a log line says the change waits for a restart.
/// </summary>
public sealed class KestrelSettingsReloadTests : IAsyncDisposable
{
    private readonly TestPki pki = new();
    private readonly string contentRoot;

    public KestrelSettingsReloadTests() => contentRoot = TestGateway.WriteContentRoot(pki);

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        pki.Dispose();
        Directory.Delete(contentRoot, recursive: true);
    }

    [Fact]
    public async Task Endpoint_and_certificate_changes_under_a_running_gateway_are_not_applied_unchecked()
    {
        await using var upstream = await TestUpstream.StartAsync();
        var settings = GatewaySettings.Create(upstream.Address);
        GatewaySettings.Write(contentRoot, settings);
        var (process, address) = await GatewayProcess.StartAsync(contentRoot, new Dictionary<string, string?>());
        await using (process)
        {
            using var client = MutualTlsClient.Create(address, pki.Server, pki.Client("steady"));
            using (var before = await client.GetAsync("/before"))
            {
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            }

            // A mismatched key and a garbage certificate over the served files, and a plain-http endpoint in the settings.
            using var other = pki.Root.Issue("CN=other", profile => profile.LoopbackServer());
            PemFiles.WritePrivateKey(Path.Combine(contentRoot, "server.key.new"), other);
            File.Move(Path.Combine(contentRoot, "server.key.new"), Path.Combine(contentRoot, "server.key"), overwrite: true);
            AtomicFile.Write(Path.Combine(contentRoot, "server.crt"), "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
            var plainPort = LoopbackPort.Unused();
            settings["Kestrel"]!["Endpoints"]!["Plain"] = new JsonObject { ["Url"] = $"http://127.0.0.1:{plainPort}" };
            settings["Kestrel"]!["Endpoints"]!["Gateway"]!["ClientCertificateMode"] = "NoCertificate";
            GatewaySettings.Write(contentRoot, settings);

            var notice = await process.WaitForLineAsync(line => line.Contains("Kestrel settings changed while running and are not applied", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.Contains("Kestrel:Endpoints:Plain:Url", notice, StringComparison.Ordinal);
            Assert.Contains("Kestrel:Endpoints:Gateway:ClientCertificateMode", notice, StringComparison.Ordinal);

            // Give a (wrongly enabled) Kestrel reload time to act, then check nothing changed.
            await Task.Delay(TimeSpan.FromSeconds(3));
            using var plain = new TcpClient();
            await Assert.ThrowsAnyAsync<SocketException>(() => plain.ConnectAsync(IPAddress.Loopback, plainPort));

            // Same server certificate (the client pins it), client certificate still required.
            using (var after = await client.GetAsync("/after"))
            {
                Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            }

            using var anonymous = MutualTlsClient.Create(address, pki.Server, clientCertificate: null);
            var forwardedBefore = upstream.Requests;
            using (var refused = await anonymous.GetAsync("/anonymous"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
                Assert.Equal("certificate-required", (string?)problem["reason"]);
            }

            Assert.Equal(forwardedBefore, upstream.Requests);

            Assert.False(process.HasExited);
        }
    }
}
