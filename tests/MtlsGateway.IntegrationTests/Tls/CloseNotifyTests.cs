using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.IntegrationTests.Tls;

/// <summary>
/// When the gateway closes an HTTP/1.x connection it ends TLS with close_notify, as nginx does: OpenSSL 3 clients
/// otherwise report "unexpected eof while reading" and cannot tell a complete response from a truncated one.
/// </summary>
public sealed class CloseNotifyTests : GatewayPerTest
{
    private readonly TempFolder folder = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var client = pki.Client("closer");
        PemFiles.WriteCertificate(folder.PathOf("client.crt"), client);
        PemFiles.WritePrivateKey(folder.PathOf("client.key"), client);
        var stranger = pki.Client("stranger", profile => profile.ExtendedKeyUsages = [Oids.ServerAuth]);
        PemFiles.WriteCertificate(folder.PathOf("refused.crt"), stranger);
        PemFiles.WritePrivateKey(folder.PathOf("refused.key"), stranger);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        folder.Dispose();
    }

    [Theory]
    [InlineData("client", "-tls1_2", "HTTP/1.1", "close", 200)]
    [InlineData("client", "-tls1_3", "HTTP/1.1", "close", 200)]
    [InlineData("client", "-tls1_3", "HTTP/1.0", "close", 200)]
    [InlineData("refused", "-tls1_3", "HTTP/1.1", "close", 403)]
    [InlineData("refused", "-tls1_3", "HTTP/1.1", "keep-alive", 403)]
    [InlineData("refused", "-tls1_2", "HTTP/1.1", "Keep-Alive", 403)]
    [InlineData("client", "-tls1_3", "HTTP/1.1", "keep-alive, CLOSE", 200)]
    public async Task A_connection_the_gateway_closes_ends_with_close_notify(string certificate, string protocol, string version, string connection, int status)
    {
        var result = await OpenSslClient.RequestAsync(
            gateway.Address.Port,
            ["-cert", folder.PathOf(certificate + ".crt"), "-key", folder.PathOf(certificate + ".key"), protocol],
            OpenSslClient.Get("/close", version, connection));

        Assert.True(OpenSslClient.StatusOf(result) == status, result.Output);
        Assert.DoesNotContain("unexpected eof", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("closed", result.Output, StringComparison.Ordinal);
    }
}
