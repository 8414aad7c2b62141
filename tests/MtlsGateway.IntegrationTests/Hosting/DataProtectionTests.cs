using System.Net;
using System.Text.Json.Nodes;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;

namespace MtlsGateway.IntegrationTests.Hosting;

/// <summary>
/// Data Protection (pulled in by authentication and by YARP's session affinity) keeps its keys in memory: the real
/// executable writes no key ring under $HOME and logs no key-ring warning, even when an affinity cookie is protected.
/// </summary>
public sealed class DataProtectionTests : IDisposable
{
    private readonly TestPki pki = new();
    private readonly string contentRoot;
    private readonly string home = Directory.CreateTempSubdirectory("mtlsgateway-home-").FullName;

    public DataProtectionTests() => contentRoot = TestGateway.WriteContentRoot(pki);

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(contentRoot, recursive: true);
        Directory.Delete(home, recursive: true);
    }

    [Fact]
    public async Task No_key_ring_is_written_and_no_key_ring_warning_is_logged_while_affinity_cookies_are_protected()
    {
        await using var upstream = await TestUpstream.StartAsync();
        var settings = GatewaySettings.Create(upstream.Address);
        // Cookie affinity protects its cookie with Data Protection: the key must exist, in memory only.
        settings["ReverseProxy"]!["Clusters"]!["upstream"]!["SessionAffinity"] = JsonNode.Parse("""{ "Enabled": true, "Policy": "Cookie", "AffinityKeyName": "affinity" }""");
        GatewaySettings.Write(contentRoot, settings);

        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["Logging__LogLevel__Default"] = "Debug",
        };
        var (gateway, address) = await GatewayProcess.StartAsync(contentRoot, environment);
        await using (gateway)
        {
            using var client = MutualTlsClient.Create(address, pki.Server, pki.Client("affinity"));
            using var response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
            Assert.StartsWith("affinity=", cookie, StringComparison.Ordinal);

            Assert.DoesNotContain("XmlKeyManager", gateway.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("DataProtection-Keys", gateway.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("encrypted at rest", gateway.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("unencrypted form", gateway.Output, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories));
    }
}
