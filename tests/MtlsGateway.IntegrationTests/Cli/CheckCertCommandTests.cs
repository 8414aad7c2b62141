using System.Text.Json;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.IntegrationTests.Cli;

/// <summary>The check-cert verb, run as the real executable: exit 0 accepted, 2 rejected, 1 usage or configuration error.</summary>
public sealed class CheckCertCommandTests : IDisposable
{
    private readonly TestPki pki = new();
    private readonly string folder = Directory.CreateTempSubdirectory("mtlsgateway-check-").FullName;

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Accepted_certificate_exits_0()
    {
        var result = await GatewayProcess.RunAsync(folder, "check-cert", Write("client.pem", pki.Client("ok")), "--trust", Write("ca.pem", pki.Root.Certificate));
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("accepted: CN=ok, O=Tests", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_certificate_exits_2_with_reason_and_detail()
    {
        var result = await GatewayProcess.RunAsync(folder, "check-cert", Write("server.pem", pki.Server), "--trust", Write("ca.pem", pki.Root.Certificate));
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("rejected: wrong-usage: extendedKeyUsage of 'CN=localhost'", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_moves_the_validation_time_and_json_reports_it()
    {
        var result = await GatewayProcess.RunAsync(folder, "check-cert", Write("client.pem", pki.Client("later")), "--trust", Write("ca.pem", pki.Root.Certificate), "--at", "2099-01-01T00:00:00Z", "--json");
        Assert.Equal(2, result.ExitCode);
        var json = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.False(json.GetProperty("accepted").GetBoolean());
        Assert.Equal("expired", json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Der_input_and_intermediates_are_understood()
    {
        using var issuing = pki.Root.CreateIntermediate("CN=Issuing, O=Tests");
        var leaf = issuing.Issue("CN=der-client");
        var derPath = Path.Combine(folder, "client.der");
        File.WriteAllBytes(derPath, leaf.RawData);
        var result = await GatewayProcess.RunAsync(folder, "check-cert", derPath, "--trust", Write("ca.pem", pki.Root.Certificate), "--intermediate", Write("issuing.pem", issuing.Certificate));
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Without_trust_it_uses_appsettings_json_in_the_current_directory()
    {
        Directory.CreateDirectory(Path.Combine(folder, "cas"));
        Write("cas/root.pem", pki.Root.Certificate);
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), """{ "Gateway": { "ClientCertificates": { "TrustedCaFiles": [ "cas" ] } } }""");

        // The gateway's default revocation mode is Require: without a CRL the gateway would refuse, and so does check-cert.
        var unknown = await GatewayProcess.RunAsync(folder, "check-cert", Write("client.pem", pki.Client("configured")));
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("rejected: revocation-unknown:", unknown.StandardOutput, StringComparison.Ordinal);
        var result = await GatewayProcess.RunAsync(folder, "check-cert", Path.Combine(folder, "client.pem"), "--best-effort");
        Assert.True(result.ExitCode == 0, result.Output);

        using var stranger = new TestPki("Stranger");
        var refused = await GatewayProcess.RunAsync(folder, "check-cert", Write("stranger.pem", stranger.Client("x")));
        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith("rejected: untrusted:", refused.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_trust_it_judges_as_the_gateway_of_the_current_environment_would()
    {
        Directory.CreateDirectory(Path.Combine(folder, "cas"));
        Write("cas/root.pem", pki.Root.Certificate);
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), """{ "Gateway": { "ClientCertificates": { "TrustedCaFiles": [ "cas" ], "Revocation": { "Mode": "Require" } } } }""");
        File.WriteAllText(Path.Combine(folder, "appsettings.Staging.json"), """{ "Gateway": { "ClientCertificates": { "Revocation": { "Mode": "BestEffort" } } } }""");
        File.WriteAllText(Path.Combine(folder, "appsettings.Strict.json"), """{ "Gateway": { "ClientCertificates": { "MinimumKeySize": 3072 } } }""");
        var client = Write("client.pem", pki.Client("env", profile => profile.Key = KeySpec.Rsa(2048)));

        // Production reads appsettings.json only: Require, no revocation source, refused.
        var production = await GatewayProcess.RunAsync(folder, "check-cert", client);
        Assert.Equal(2, production.ExitCode);
        Assert.StartsWith("rejected: revocation-unknown:", production.StandardOutput, StringComparison.Ordinal);

        // Staging relaxes the mode in its own file: accepted, as that gateway would; DOTNET_ENVIRONMENT alone counts too.
        var staging = await GatewayProcess.RunAsync(folder, new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Staging" }, "check-cert", client);
        Assert.True(staging.ExitCode == 0, staging.Output);
        var dotnetStaging = await GatewayProcess.RunAsync(folder, new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = string.Empty, ["DOTNET_ENVIRONMENT"] = "Staging" }, "check-cert", client);
        Assert.True(dotnetStaging.ExitCode == 0, dotnetStaging.Output);

        // An environment's file also sets the crypto minimums (here: RSA keys of 3072 bits at least).
        var strict = await GatewayProcess.RunAsync(folder, new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Strict" }, "check-cert", client, "--best-effort");
        Assert.Equal(2, strict.ExitCode);

        // --require-revocation-info asks for more than Staging's gateway; both switches at once is a usage error.
        var more = await GatewayProcess.RunAsync(folder, new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Staging" }, "check-cert", client, "--require-revocation-info");
        Assert.Equal(2, more.ExitCode);
        var both = await GatewayProcess.RunAsync(folder, "check-cert", client, "--best-effort", "--require-revocation-info");
        Assert.Equal(1, both.ExitCode);
        Assert.Equal("check-cert: --require-revocation-info and --best-effort ask for opposite revocation modes; give one", both.StandardError.Trim());
    }

    [Fact]
    public async Task An_environment_settings_file_that_does_not_parse_is_one_line()
    {
        Directory.CreateDirectory(Path.Combine(folder, "cas"));
        Write("cas/root.pem", pki.Root.Certificate);
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), """{ "Gateway": { "ClientCertificates": { "TrustedCaFiles": [ "cas" ] } } }""");
        File.WriteAllText(Path.Combine(folder, "appsettings.Staging.json"), "{\n  \"Gateway\" {\n}\n");
        var result = await GatewayProcess.RunAsync(folder, new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Staging" }, "check-cert", Write("client.pem", pki.Client("x")));
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("check-cert: ", line, StringComparison.Ordinal);
        Assert.Contains("appsettings.Staging.json: line 2, column 13: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--at", "yesterday")]
    [InlineData("--trust", "missing-ca.pem")]
    public async Task Usage_and_configuration_errors_exit_1(string option, string value)
    {
        var result = await GatewayProcess.RunAsync(folder, "check-cert", Write("client.pem", pki.Client("x")), "--trust", Write("ca.pem", pki.Root.Certificate), option, value);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("check-cert: ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_certificate_file_exits_1()
    {
        var result = await GatewayProcess.RunAsync(folder, "check-cert", "nope.pem", "--trust", Write("ca.pem", pki.Root.Certificate));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nope.pem: no such file", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crl_files_make_a_revoked_certificate_rejected()
    {
        var revoked = pki.Client("revoked");
        var crl = Path.Combine(folder, "root.crl");
        File.WriteAllBytes(crl, pki.Root.CreateCrl([revoked], configure: profile => profile.NextUpdate = DateTimeOffset.UtcNow.AddDays(1)));
        var result = await GatewayProcess.RunAsync(folder, "check-cert", Write("revoked.pem", revoked), "--trust", Write("ca.pem", pki.Root.Certificate), "--crl", crl);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("rejected: revoked:", result.StandardOutput, StringComparison.Ordinal);

        var good = await GatewayProcess.RunAsync(folder, "check-cert", Write("good.pem", pki.Client("good")), "--trust", Write("ca.pem", pki.Root.Certificate), "--crl", crl, "--require-revocation-info");
        Assert.Equal(0, good.ExitCode);
    }

    [Fact]
    public async Task Require_revocation_info_rejects_what_cannot_be_checked_and_best_effort_accepts_it()
    {
        var certificate = Write("client.pem", pki.Client("unchecked"));
        var ca = Write("ca.pem", pki.Root.Certificate);
        var strict = await GatewayProcess.RunAsync(folder, "check-cert", certificate, "--trust", ca, "--require-revocation-info");
        Assert.Equal(2, strict.ExitCode);
        Assert.StartsWith("rejected: revocation-unknown:", strict.StandardOutput, StringComparison.Ordinal);

        var lenient = await GatewayProcess.RunAsync(folder, "check-cert", certificate, "--trust", ca);
        Assert.Equal(0, lenient.ExitCode);
    }

    [Fact]
    public async Task A_non_CA_certificate_the_client_sends_is_judged_not_a_configuration_error()
    {
        var notACa = pki.Client("not-a-ca");
        var result = await GatewayProcess.RunAsync(folder, "check-cert", Write("client.pem", pki.Client("ok")), "--trust", Write("ca.pem", pki.Root.Certificate), "--intermediate", Write("extra.pem", notACa));
        Assert.Equal(0, result.ExitCode);

        // A path that needs the non-CA certificate as an issuer is refused (exit 2), never a usage error.
        using var pretender = TestCa.From(pki.Root.Issue("CN=Pretender, O=Tests", profile => profile.ExtendedKeyUsages = null), pki.Root);
        var below = pretender.Issue("CN=below, O=Tests");
        var refused = await GatewayProcess.RunAsync(folder, "check-cert", Write("below.pem", below), "--trust", Write("ca.pem", pki.Root.Certificate), "--intermediate", Write("pretender.pem", pretender.Certificate));
        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith("rejected: untrusted: 'CN=Pretender, O=Tests' acts as a CA without being allowed to", refused.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_certificate_file_may_hold_the_whole_chain_leaf_first()
    {
        using var issuing = pki.Root.CreateIntermediate("CN=Chain Issuing, O=Tests");
        var leaf = issuing.Issue("CN=chained, O=Tests");
        var chainFile = Path.Combine(folder, "chain.pem");
        File.WriteAllText(chainFile, leaf.ExportCertificatePem() + "\n" + issuing.Certificate.ExportCertificatePem());
        var result = await GatewayProcess.RunAsync(folder, "check-cert", chainFile, "--trust", Write("ca.pem", pki.Root.Certificate));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("CN=chained, O=Tests <- CN=Chain Issuing, O=Tests <- ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--policy", "2.16.840.01", "--policy: '2.16.840.01' has an arc with a leading zero ('01'); write it without, as certificates encode it")]
    [InlineData("--minimum-key-size", "512", "--minimum-key-size: 512 is outside 1024..16384 bits")]
    public async Task Bad_policy_and_key_size_options_exit_1(string option, string value, string message)
    {
        var result = await GatewayProcess.RunAsync(folder, "check-cert", Write("client.pem", pki.Client("x")), "--trust", Write("ca.pem", pki.Root.Certificate), option, value);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("check-cert: " + message, result.StandardError.Trim());
    }

    [Fact]
    public async Task Purpose_selects_what_the_certificate_must_be_usable_for()
    {
        var server = Write("server.pem", pki.Server);
        var ca = Write("ca.pem", pki.Root.Certificate);
        Assert.Equal(2, (await GatewayProcess.RunAsync(folder, "check-cert", server, "--trust", ca)).ExitCode);
        Assert.Equal(0, (await GatewayProcess.RunAsync(folder, "check-cert", server, "--trust", ca, "--purpose", "server-auth")).ExitCode);
        Assert.Equal(0, (await GatewayProcess.RunAsync(folder, "check-cert", server, "--trust", ca, "--purpose", "any")).ExitCode);
        Assert.Equal(1, (await GatewayProcess.RunAsync(folder, "check-cert", server, "--trust", ca, "--purpose", "email")).ExitCode);
    }

    /// <summary>NIST PKITS cases through the real executable, as the conformance run does (policy cases among them).</summary>
    [Theory]
    [InlineData("4.1.1", 0, "")]
    [InlineData("4.4.19", 0, "")]
    [InlineData("4.6.2", 2, "rejected: untrusted:")]
    [InlineData("4.8.1-3", 2, "rejected: untrusted: certificate policies:")]
    [InlineData("4.9.1", 0, "")]
    [InlineData("4.10.7", 2, "rejected: untrusted: certificate policies:")]
    [InlineData("4.11.2", 0, "")]
    [InlineData("4.12.4", 2, "rejected: untrusted: certificate policies:")]
    [InlineData("4.4.10", 2, "rejected: revocation-unknown:")]
    [InlineData("4.4.2", 2, "rejected: revoked:")]
    [InlineData("4.5.4", 0, "")]
    [InlineData("4.14.30", 0, "")]
    [InlineData("4.14.32", 2, "rejected: revoked:")]
    [InlineData("4.15.4", 2, "rejected: revoked:")]
    [InlineData("4.15.10", 2, "rejected: revocation-unknown:")]
    public async Task Pkits_cases_through_check_cert(string id, int exitCode, string output)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pkits");
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, "cases.json")));
        var pkitsCase = document.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);
        var arguments = new List<string>
        {
            "check-cert", Path.Combine(root, "certs", pkitsCase.GetProperty("endEntity").GetString()!),
            "--trust", Path.Combine(root, "certs", document.RootElement.GetProperty("trustAnchor").GetString()!),
            "--require-revocation-info", "--minimum-key-size", "1024", "--allow-sha1",
        };
        arguments.AddRange(pkitsCase.GetProperty("intermediates").EnumerateArray().SelectMany(file => new[] { "--intermediate", Path.Combine(root, "certs", file.GetString()!) }));
        arguments.AddRange(pkitsCase.GetProperty("crls").EnumerateArray().SelectMany(file => new[] { "--crl", Path.Combine(root, "crls", file.GetString()!) }));
        var policies = pkitsCase.GetProperty("initialPolicySet").EnumerateArray().Select(p => p.GetString()!).ToArray();
        if (!policies.Contains(Oids.AnyPolicy))
        {
            arguments.AddRange(policies.SelectMany(policy => new[] { "--policy", policy }));
        }

        if (pkitsCase.GetProperty("initialExplicitPolicy").GetBoolean())
        {
            arguments.Add("--require-explicit-policy");
        }

        if (pkitsCase.GetProperty("initialPolicyMappingInhibit").GetBoolean())
        {
            arguments.Add("--inhibit-policy-mapping");
        }

        if (pkitsCase.GetProperty("initialAnyPolicyInhibit").GetBoolean())
        {
            arguments.Add("--inhibit-any-policy");
        }

        var result = await GatewayProcess.RunAsync(folder, [.. arguments]);
        Assert.True(exitCode == result.ExitCode, $"{id}: exit {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        Assert.StartsWith(exitCode == 0 ? "accepted: " : output, result.StandardOutput, StringComparison.Ordinal);
    }

    private string Write(string name, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }
}
