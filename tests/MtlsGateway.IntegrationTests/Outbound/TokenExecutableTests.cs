using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
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
public sealed partial class TokenExecutableTests : IDisposable
{
    private const string WrongPin = "31337-not-the-pin";

    /// <summary>OpenSC's pkcs11-spy: a PKCS#11 module that records every call, then passes it on to SoftHSM2.</summary>
    private const string SpyModule = "/usr/lib/x86_64-linux-gnu/pkcs11-spy.so";

    private readonly SoftHsm hsm;
    private readonly OutboundTestFolder folder = new();

    public TokenExecutableTests(SoftHsm hsm)
    {
        this.hsm = hsm;
        folder.WritePin("wrong.pin", WrongPin);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Wrong_PIN_stops_the_gateway_with_one_line_naming_the_identity_and_no_PIN_in_any_output()
    {
        WriteCardSettings(SoftHsm.ModulePath, "wrong.pin");

        var result = await GatewayProcess.RunAsync(folder.Path);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"MtlsGateway: cannot start: Gateway:OutboundIdentities:card: wrong PIN for token '{SoftHsm.PinToken}'", line, StringComparison.Ordinal);
        Assert.Contains("not retried", line, StringComparison.Ordinal);
        var everything = result.StandardOutput + result.StandardError;
        Assert.DoesNotContain(WrongPin, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.UserPin, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_PIN_file_stops_the_gateway_before_any_PKCS11_call_with_none_of_its_content_in_the_output()
    {
        File.WriteAllText(Path.Combine(folder.Path, "huge.pin"), new string('5', 4096) + "LEAKMARKER\n");
        WriteCardSettings(SpyModule, "huge.pin");

        var (exitCode, output, trace) = await RunTracedAsync();

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("MtlsGateway: cannot start:", StringComparison.Ordinal));
        Assert.Equal($"MtlsGateway: cannot start: Gateway:OutboundIdentities:card:Pkcs11:PinFile: PIN file '{Path.Combine(folder.Path, "huge.pin")}' holds more than 256 bytes: not a PIN", line);
        Assert.DoesNotContain("LEAKMARKER", output, StringComparison.Ordinal);
        Assert.DoesNotContain("5555", output, StringComparison.Ordinal);
        Assert.Empty(trace); // the PIN is read before the module is even loaded
    }

    [Fact]
    public async Task Enroll_then_import_cert_through_the_executable_produce_a_working_identity()
    {
        const string subject = "CN=enrolled-gateway.test, O=MtlsGateway Tests";
        var csrFile = Path.Combine(folder.Path, "gateway.csr");

        var enroll = await GatewayProcess.RunAsync(
            folder.Path, "token", "enroll", "--module", SoftHsm.ModulePath, "--token", SoftHsm.EnrollToken, "--key-label", "it-gateway",
            "--key-id", "a1", "--subject", subject, "--pin-file", "card.pin", "--csr", csrFile);

        Assert.True(enroll.ExitCode == 0, enroll.StandardError);
        var request = CertificateRequest.LoadSigningRequestPem(File.ReadAllText(csrFile), HashAlgorithmName.SHA256);
        using var issued = hsm.Ca.Sign(request);
        File.WriteAllText(Path.Combine(folder.Path, "gateway.crt"), issued.ExportCertificatePem());

        var import = await GatewayProcess.RunAsync(
            folder.Path, "token", "import-cert", "--module", SoftHsm.ModulePath, "--token", SoftHsm.EnrollToken, "--pin-file", "card.pin", "--cert", "gateway.crt");
        var list = await GatewayProcess.RunAsync(folder.Path, "token", "list", "--module", SoftHsm.ModulePath);

        Assert.True(import.ExitCode == 0, import.StandardError);
        Assert.Equal(0, list.ExitCode);
        var certificateLine = Assert.Single(list.StandardOutput.Split('\n'), l => l.Contains("label 'it-gateway'", StringComparison.Ordinal) && l.Contains("cert", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("id a1", certificateLine, StringComparison.Ordinal);
        foreach (var run in new[] { enroll, import, list })
        {
            Assert.DoesNotContain(SoftHsm.UserPin, run.StandardOutput + run.StandardError, StringComparison.Ordinal);
        }

        await using var upstream = await TestUpstream.StartAsync(options => options.MutualTls(folder.UpstreamPki.Server, hsm.Ca.Certificate));
        var settings = OutboundGateway.Settings(upstream.Address);
        settings["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = upstream.Address.ToString();
        settings["ReverseProxy:Clusters:upstream:Metadata:OutboundIdentity"] = "enrolled";
        settings["ReverseProxy:Clusters:upstream:Metadata:UpstreamTrustedCaFile"] = "upstream-ca.pem";
        settings["Gateway:OutboundIdentities:enrolled:Pkcs11:ModulePath"] = SoftHsm.ModulePath;
        settings["Gateway:OutboundIdentities:enrolled:Pkcs11:TokenLabel"] = SoftHsm.EnrollToken;
        settings["Gateway:OutboundIdentities:enrolled:Pkcs11:KeyId"] = "a1";
        settings["Gateway:OutboundIdentities:enrolled:Pkcs11:PinEnvironmentVariable"] = "MTLSGW_TEST_ENROLLED_PIN";
        Environment.SetEnvironmentVariable("MTLSGW_TEST_ENROLLED_PIN", SoftHsm.UserPin);
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
            folder.Path, "token", "enroll", "--module", SoftHsm.ModulePath, "--token", SoftHsm.PinToken, "--key-label", "never",
            "--subject", "CN=never", "--pin-file", "wrong.pin", "--csr", Path.Combine(folder.Path, "never.csr"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("token enroll: wrong PIN (CKR_PIN_INCORRECT); not retried: a card locks after a few wrong PINs", result.StandardError.Trim());
        Assert.DoesNotContain(WrongPin, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "never.csr")));
    }

    [Fact]
    public async Task Wrong_PIN_at_start_up_costs_exactly_one_C_Login_as_the_module_sees_it()
    {
        WriteCardSettings(SpyModule, "wrong.pin");

        var (exitCode, output, trace) = await RunTracedAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("wrong PIN for token 'gw-pin'", output, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPin, output, StringComparison.Ordinal);
        var login = Assert.Single(Logins(trace));
        Assert.Contains("CKR_PIN_INCORRECT", login, StringComparison.Ordinal);
        Assert.DoesNotContain("C_Logout", trace, StringComparison.Ordinal);
        Assert.DoesNotContain("C_CloseAllSessions", trace, StringComparison.Ordinal);
        Assert.DoesNotContain("C_Finalize", trace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_verb_with_a_wrong_PIN_costs_exactly_one_C_Login_as_the_module_sees_it()
    {
        var (exitCode, output, trace) = await RunTracedAsync(
            "token", "enroll", "--module", SpyModule, "--token", SoftHsm.PinToken, "--key-label", "never",
            "--subject", "CN=never", "--pin-file", "wrong.pin", "--csr", Path.Combine(folder.Path, "never.csr"));

        Assert.Equal(1, exitCode);
        Assert.Contains("token enroll: wrong PIN (CKR_PIN_INCORRECT); not retried", output, StringComparison.Ordinal);
        Assert.Contains("CKR_PIN_INCORRECT", Assert.Single(Logins(trace)), StringComparison.Ordinal);
        Assert.DoesNotContain("C_GenerateKeyPair", trace, StringComparison.Ordinal);
    }

    // Runs the executable with pkcs11-spy tracing into a file of the test folder; the trace holds PINs in clear, so it
    // is deleted once read.
    private async Task<(int ExitCode, string Output, string Trace)> RunTracedAsync(params string[] arguments)
    {
        Assert.True(File.Exists(SpyModule), $"{SpyModule} is missing: install the Debian package opensc");
        var tracePath = Path.Combine(folder.Path, "spy.log");
        var environment = new Dictionary<string, string?> { ["PKCS11SPY"] = SoftHsm.ModulePath, ["PKCS11SPY_OUTPUT"] = tracePath };
        var result = await GatewayProcess.RunAsync(folder.Path, environment, arguments);
        var (exitCode, output) = (result.ExitCode, result.Output);
        if (!File.Exists(tracePath))
        {
            return (exitCode, output, string.Empty); // the module was never loaded
        }

        var trace = File.ReadAllText(tracePath);
        File.Delete(tracePath);
        return (exitCode, output, trace);
    }

    // One entry per C_Login call: from its header line up to its "Returned:" line.
    private static IReadOnlyList<string> Logins(string trace) => [.. LoginCall().Matches(trace).Select(m => m.Value)];

    [GeneratedRegex(@"^\d+: C_Login\r?\n(?:(?!Returned:).*\r?\n)*Returned:[^\n]*", RegexOptions.Multiline)]
    private static partial Regex LoginCall();

    /// <summary>appsettings.json for an upstream whose identity is the TLS key on the PIN token, through the given module.</summary>
    private void WriteCardSettings(string modulePath, string pinFile)
    {
        var settings = OutboundGateway.Settings(new Uri("https://localhost:9/"));
        settings["ReverseProxy:Clusters:upstream:Metadata:OutboundIdentity"] = "card";
        settings["ReverseProxy:Clusters:upstream:Metadata:UpstreamTrustedCaFile"] = "upstream-ca.pem";
        settings["Gateway:OutboundIdentities:card:Pkcs11:ModulePath"] = modulePath;
        settings["Gateway:OutboundIdentities:card:Pkcs11:TokenLabel"] = SoftHsm.PinToken;
        settings["Gateway:OutboundIdentities:card:Pkcs11:KeyLabel"] = SoftHsm.TlsKeyLabel;
        settings["Gateway:OutboundIdentities:card:Pkcs11:PinFile"] = pinFile;
        File.WriteAllText(Path.Combine(folder.Path, "appsettings.json"), OutboundGateway.AsJson(settings));
    }
}
