using System.Text.Json;
using MtlsGateway.IntegrationTests.Harness;

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
        var result = await GatewayProcess.RunAsync(folder, "check-cert", Write("client.pem", pki.Client("configured")));
        Assert.Equal(0, result.ExitCode);

        using var stranger = new TestPki("Stranger");
        var refused = await GatewayProcess.RunAsync(folder, "check-cert", Write("stranger.pem", stranger.Client("x")));
        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith("rejected: untrusted:", refused.StandardOutput, StringComparison.Ordinal);
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

    private string Write(string name, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }
}
