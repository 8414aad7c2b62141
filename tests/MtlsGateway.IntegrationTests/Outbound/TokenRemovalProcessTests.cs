using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.SoftHsm2;

namespace MtlsGateway.IntegrationTests.Outbound;

/// <summary>
/// A token really going away, with real parts only: the gateway runs as its own process on its own SoftHSM2 store, and
/// the test moves the token's files away under it. SoftHSM2 then reports the token missing, which the gateway's real
/// presence probe sees. (SoftHSM2 never brings such a token back inside the same process, so recovery is covered by
/// <see cref="OutboundIdentityTests.Pulled_token_gives_502_and_not_ready_then_the_identity_is_reloaded_without_restart"/>.)
/// </summary>
[Collection(SoftHsmGroup.Name)]
[SupportedOSPlatform("linux")]
public sealed class TokenRemovalProcessTests : IDisposable
{
    private const string Token = "gw-removable";

    private readonly SoftHsm hsm;
    private readonly OutboundTestFolder folder = new();

    /// <summary>The gateway process's own token store, never loaded into this process.</summary>
    private readonly SoftHsmStore store = new();

    public TokenRemovalProcessTests(SoftHsm hsm) => this.hsm = hsm;

    public void Dispose()
    {
        store.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task Token_files_moved_away_under_the_running_gateway_give_502_and_a_clear_log_line()
    {
        await PrepareTokenAsync();
        await using var upstream = await TestUpstream.StartAsync(options => options.MutualTls(folder.UpstreamPki.Server, hsm.Ca.Certificate));
        var settings = OutboundGateway.Settings(upstream.Address);
        settings["Kestrel:Endpoints:Gateway:Url"] = "https://127.0.0.1:0";
        settings["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information";
        settings["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = upstream.Address.ToString();
        settings["ReverseProxy:Clusters:upstream:Metadata:OutboundIdentity"] = "card";
        settings["ReverseProxy:Clusters:upstream:Metadata:UpstreamTrustedCaFile"] = "upstream-ca.pem";
        settings["Gateway:OutboundIdentities:card:Pkcs11:ModulePath"] = SoftHsm.ModulePath;
        settings["Gateway:OutboundIdentities:card:Pkcs11:TokenLabel"] = Token;
        settings["Gateway:OutboundIdentities:card:Pkcs11:KeyLabel"] = "gateway";
        settings["Gateway:OutboundIdentities:card:Pkcs11:PinFile"] = "card.pin";
        settings["Gateway:OutboundIdentityProbeInterval"] = "00:00:00.200";
        File.WriteAllText(Path.Combine(folder.Path, "appsettings.json"), OutboundGateway.AsJson(settings));
        var (gateway, address) = await GatewayProcess.StartAsync(folder.Path, store.Environment);
        await using var _ = gateway;
        using var client = CreateClient(address);

        using var before = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("CN=removable.test", (await Echo.ReadAsync(before)).Subject);

        var tokenFiles = Assert.Single(Directory.GetDirectories(store.TokenDirectory));
        Directory.Move(tokenFiles, tokenFiles + ".pulled");
        var gone = await gateway.WaitForLineAsync(l => l.Contains("outbound identity 'card' unavailable", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        using var after = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Contains($"token '{Token}'", gone, StringComparison.Ordinal);
        Assert.Contains("is not present", gone, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, after.StatusCode);
        await gateway.WaitForLineAsync(l => l.Contains("Request to cluster upstream not sent (502): outbound identity 'card' is unavailable", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(SoftHsm.UserPin, gateway.Output, StringComparison.Ordinal);
    }

    // The token made the way an operator would: softhsm2-util, then the gateway's own verbs against this store only.
    private async Task PrepareTokenAsync()
    {
        store.InitToken(Token);
        var csr = Path.Combine(folder.Path, "removable.csr");
        var enroll = await GatewayProcess.RunAsync(folder.Path, store.Environment,
            "token", "enroll", "--module", SoftHsm.ModulePath, "--token", Token, "--key-label", "gateway", "--key-id", "01",
            "--subject", "CN=removable.test", "--pin-file", "card.pin", "--csr", csr);
        Assert.True(enroll.ExitCode == 0, enroll.Output);
        using var issued = hsm.Ca.Sign(CertificateRequest.LoadSigningRequestPem(File.ReadAllText(csr), HashAlgorithmName.SHA256));
        File.WriteAllText(Path.Combine(folder.Path, "removable.crt"), issued.ExportCertificatePem());
        var import = await GatewayProcess.RunAsync(folder.Path, store.Environment,
            "token", "import-cert", "--module", SoftHsm.ModulePath, "--token", Token, "--pin-file", "card.pin", "--cert", "removable.crt");
        Assert.True(import.ExitCode == 0, import.Output);
    }

    private HttpClient CreateClient(Uri address) =>
        MutualTlsClient.Create(address, folder.GatewayPki.Server, folder.GatewayPki.Client("gateway-user"));
}
