using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.SoftHsm2;

namespace MtlsGateway.IntegrationTests.Outbound;

/// <summary>
/// Through the real executable, as operators run it: the token verbs, and start-up with a wrong PIN. Each run is its
/// own process with the test's private SoftHSM2 store (SOFTHSM2_CONF is inherited).
/// </summary>
[Collection(SoftHsmGroup.Name)]
[SupportedOSPlatform("linux")]
public sealed class TokenExecutableTests : IDisposable
{
    private const string WrongPin = "31337-not-the-pin";

    private readonly SoftHsmTokens hsm;
    private readonly OutboundTestFolder folder = new();

    public TokenExecutableTests(SoftHsmTokens hsm)
    {
        this.hsm = hsm;
        folder.WritePin("wrong.pin", WrongPin);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Wrong_PIN_stops_the_gateway_with_one_line_naming_the_identity_and_no_PIN_in_any_output()
    {
        var settings = OutboundGateway.Settings(new Uri("https://localhost:9/"));
        settings["ReverseProxy:Clusters:upstream:Metadata:OutboundIdentity"] = "card";
        settings["ReverseProxy:Clusters:upstream:Metadata:UpstreamTrustedCaFile"] = "upstream-ca.pem";
        settings["Gateway:OutboundIdentities:card:Pkcs11:ModulePath"] = SoftHsmTokens.ModulePath;
        settings["Gateway:OutboundIdentities:card:Pkcs11:TokenLabel"] = SoftHsmTokens.PinToken;
        settings["Gateway:OutboundIdentities:card:Pkcs11:KeyLabel"] = SoftHsmTokens.TlsKeyLabel;
        settings["Gateway:OutboundIdentities:card:Pkcs11:PinFile"] = "wrong.pin";
        File.WriteAllText(Path.Combine(folder.Path, "appsettings.json"), OutboundGateway.AsJson(settings));

        var result = await GatewayProcess.RunAsync(folder.Path);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"MtlsGateway: cannot start: Gateway:OutboundIdentities:card: wrong PIN for token '{SoftHsmTokens.PinToken}'", line, StringComparison.Ordinal);
        Assert.Contains("not retried", line, StringComparison.Ordinal);
        var everything = result.StandardOutput + result.StandardError;
        Assert.DoesNotContain(WrongPin, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsmTokens.UserPin, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_then_import_cert_through_the_executable_produce_a_working_identity()
    {
        const string subject = "CN=enrolled-gateway.test, O=MtlsGateway Tests";
        var csrFile = Path.Combine(folder.Path, "gateway.csr");

        var enroll = await GatewayProcess.RunAsync(
            folder.Path, "token", "enroll", "--module", SoftHsmTokens.ModulePath, "--token", SoftHsmTokens.EnrollToken, "--key-label", "it-gateway",
            "--key-id", "a1", "--subject", subject, "--pin-file", "card.pin", "--csr", csrFile);

        Assert.True(enroll.ExitCode == 0, enroll.StandardError);
        var request = CertificateRequest.LoadSigningRequestPem(File.ReadAllText(csrFile), HashAlgorithmName.SHA256);
        using var issued = hsm.Ca.Sign(request);
        File.WriteAllText(Path.Combine(folder.Path, "gateway.crt"), issued.ExportCertificatePem());

        var import = await GatewayProcess.RunAsync(
            folder.Path, "token", "import-cert", "--module", SoftHsmTokens.ModulePath, "--token", SoftHsmTokens.EnrollToken, "--pin-file", "card.pin", "--cert", "gateway.crt");
        var list = await GatewayProcess.RunAsync(folder.Path, "token", "list", "--module", SoftHsmTokens.ModulePath);

        Assert.True(import.ExitCode == 0, import.StandardError);
        Assert.Equal(0, list.ExitCode);
        var certificateLine = Assert.Single(list.StandardOutput.Split('\n'), l => l.Contains("label 'it-gateway'", StringComparison.Ordinal) && l.Contains("cert", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("id a1", certificateLine, StringComparison.Ordinal);
        foreach (var run in new[] { enroll, import, list })
        {
            Assert.DoesNotContain(SoftHsmTokens.UserPin, run.StandardOutput + run.StandardError, StringComparison.Ordinal);
        }

        await using var upstream = await TestUpstream.StartAsync(options => options.MutualTls(folder.UpstreamPki.Server, hsm.Ca.Certificate));
        var settings = OutboundGateway.Settings(upstream.Address);
        settings["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = upstream.Address.ToString();
        settings["ReverseProxy:Clusters:upstream:Metadata:OutboundIdentity"] = "enrolled";
        settings["ReverseProxy:Clusters:upstream:Metadata:UpstreamTrustedCaFile"] = "upstream-ca.pem";
        settings["Gateway:OutboundIdentities:enrolled:Pkcs11:ModulePath"] = SoftHsmTokens.ModulePath;
        settings["Gateway:OutboundIdentities:enrolled:Pkcs11:TokenLabel"] = SoftHsmTokens.EnrollToken;
        settings["Gateway:OutboundIdentities:enrolled:Pkcs11:KeyId"] = "a1";
        settings["Gateway:OutboundIdentities:enrolled:Pkcs11:PinEnvironmentVariable"] = "MTLSGW_TEST_ENROLLED_PIN";
        Environment.SetEnvironmentVariable("MTLSGW_TEST_ENROLLED_PIN", SoftHsmTokens.UserPin);
        await using var gateway = await OutboundGateway.StartAsync(folder.GatewayPki, folder.Path, settings);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(issued.Subject, (await Echo.ReadAsync(response)).Subject);
        Assert.Equal(new X500DistinguishedName(subject).Name, issued.Subject);
    }

    [Fact]
    public async Task Token_verbs_fail_with_exit_code_1_and_one_line_on_a_wrong_PIN()
    {
        var result = await GatewayProcess.RunAsync(
            folder.Path, "token", "enroll", "--module", SoftHsmTokens.ModulePath, "--token", SoftHsmTokens.PinToken, "--key-label", "never",
            "--subject", "CN=never", "--pin-file", "wrong.pin", "--csr", Path.Combine(folder.Path, "never.csr"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("token enroll: wrong PIN (CKR_PIN_INCORRECT); not retried: a card locks after a few wrong PINs", result.StandardError.Trim());
        Assert.DoesNotContain(WrongPin, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "never.csr")));
    }
}
