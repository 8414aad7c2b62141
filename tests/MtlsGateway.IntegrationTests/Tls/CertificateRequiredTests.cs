using System.Text.Json;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.TestSupport.Processes;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.Tls;

/// <summary>
/// A client without a certificate is asked for one in the handshake (HTTP/2 included), and when it sends none it gets
/// an answer, never a reset: 403 problem+json <c>certificate-required</c>, logged with its address and counted.
/// curl and openssl s_client are the clients.
/// </summary>
public sealed class CertificateRequiredTests : GatewayPerTest
{
    private const int RequestWithoutClientCertificate = 1002;

    private readonly TempFolder folder = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        PemFiles.WriteCertificate(folder.PathOf("root.pem"), pki.Root.Certificate);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        folder.Dispose();
    }

    [Theory]
    [InlineData("--http1.1", "1.1")]
    [InlineData("--http2", "2")]
    public async Task A_client_without_a_certificate_gets_403_certificate_required_logged_and_counted(string option, string version)
    {
        using var measurements = new GatewayMeasurements(gateway, "mtlsgateway.requests.refused");
        var port = gateway.Address.Port;
        var curl = await ProcessRunner.RunAsync("curl", [
            "--silent", "--show-error", option, "--cacert", folder.PathOf("root.pem"),
            "--resolve", $"localhost:{port}:127.0.0.1", "--write-out", "\n%{http_code} %{http_version} %{content_type}",
            $"https://localhost:{port}/pay/x"]);

        var lines = curl.StandardOutput.Split('\n');
        Assert.True(lines[^1].StartsWith($"403 {version} application/problem+json", StringComparison.Ordinal), curl.Output);
        var problem = JsonDocument.Parse(string.Join('\n', lines[..^1])).RootElement;
        Assert.Equal("certificate-required", problem.GetProperty("reason").GetString());
        Assert.Equal(403, problem.GetProperty("status").GetInt32());

        await Eventually.HoldsAsync(() => measurements.Sum("mtlsgateway.requests.refused", "reason", "certificate-required") == 1, "the refusal to be counted");
        var line = Assert.Single(gateway.Logs.WithId(RequestWithoutClientCertificate));
        Assert.Equal("127.0.0.1", line.Fields["RemoteAddress"]);
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task The_handshake_asks_for_a_certificate_over_http2_too(string protocol)
    {
        var result = await OpenSsl.RunAsync(["s_client", "-connect", $"127.0.0.1:{gateway.Address.Port}", "-servername", "localhost", "-alpn", "h2", protocol], standardInput: string.Empty);
        Assert.Contains("ALPN protocol: h2", result.Output, StringComparison.Ordinal);
        Assert.Contains("Acceptable client certificate CA names", result.Output, StringComparison.Ordinal);
        Assert.Contains("CN = Test Root CA", result.Output, StringComparison.Ordinal);
    }
}
