using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.Tls;

/// <summary>
/// A client that sends junk certificates (or a huge handshake) is refused in the handshake, before the gateway builds
/// any chain, and the refusal is logged and counted. openssl s_client is the client: it sends exactly what it is told.
/// </summary>
public sealed class ChainLimitTests : GatewayPerTest
{
    private const int HandshakeFailed = 3002;
    private const string Failures = "mtlsgateway.tls.handshake.failures";

    private readonly TempFolder folder = new();
    private TestCa issuing = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        issuing = await gateway.CreateIntermediateAsync(pki.Root, "CN=Chain Limit Issuing CA, O=MtlsGateway Tests");
        var leaf = issuing.Issue("CN=chain-limit, O=Tests");
        PemFiles.WriteCertificate(folder.PathOf("leaf.crt"), leaf);
        PemFiles.WritePrivateKey(folder.PathOf("leaf.key"), leaf);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        issuing.Dispose();
        folder.Dispose();
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task Ten_certificates_pass(string protocol)
    {
        // The leaf, its intermediate and eight junk certificates: exactly MaxChainCertificates (10).
        var chain = WriteChain("ten.pem", junk: 8);
        var result = await OpenSslClient.RequestAsync(gateway.Address.Port, ["-cert", folder.PathOf("leaf.crt"), "-key", folder.PathOf("leaf.key"), "-cert_chain", chain, protocol]);
        Assert.True(OpenSslClient.StatusOf(result) == 200, result.Output);
    }

    [Theory]
    [InlineData("-tls1_2", 9, "too-many-certificates")]
    [InlineData("-tls1_3", 9, "too-many-certificates")]
    [InlineData("-tls1_2", 30, "too-many-certificates")]
    [InlineData("-tls1_3", 30, "too-many-certificates")]
    [InlineData("-tls1_2", 150, "handshake-too-large")]
    [InlineData("-tls1_3", 150, "handshake-too-large")]
    public async Task More_certificates_are_refused_in_the_handshake_logged_and_counted(string protocol, int junk, string reason)
    {
        using var measurements = new GatewayMeasurements(gateway, Failures, GatewayMeasurements.Handshakes);
        var chain = WriteChain($"junk-{junk}.pem", junk);

        var result = await OpenSslClient.RequestAsync(gateway.Address.Port, ["-cert", folder.PathOf("leaf.crt"), "-key", folder.PathOf("leaf.key"), "-cert_chain", chain, protocol]);

        Assert.True(OpenSslClient.StatusOf(result) is null, result.Output);
        await Eventually.HoldsAsync(() => measurements.Sum(Failures, "reason", reason) == 1, $"one handshake failure counted as {reason}");
        var line = await Eventually.ReturnsAsync(
            () => Task.FromResult(gateway.Logs.WithId(HandshakeFailed).FirstOrDefault(e => Equals(e.Fields["Reason"], reason))),
            e => e is not null,
            "the handshake failure to be logged");
        Assert.Equal("127.0.0.1", line!.Fields["RemoteAddress"]);
        if (reason == "too-many-certificates")
        {
            // Counted from the certificates TLS 1.2 sends in clear, or in TLS 1.3's callback: the leaf was seen.
            Assert.Equal("CN=chain-limit, O=Tests", line.Fields["Subject"]);
        }

        if (protocol == "-tls1_2")
        {
            // Refused from the wire, before SslStream handed the certificates to the validation callback.
            Assert.Equal(0, measurements.Total(GatewayMeasurements.Handshakes));
        }
    }

    [Fact]
    public async Task A_client_hello_larger_than_the_handshake_limit_is_cut_off_from_the_record_headers()
    {
        using var measurements = new GatewayMeasurements(gateway, Failures);

        // A ClientHello announcing 100 000 bytes, sent in 4 KiB records: the gateway stops reading at 16 KiB, from
        // the header of the record that would cross it.
        using var socket = new TcpClient();
        await socket.ConnectAsync(gateway.Address.Host, gateway.Address.Port);
        var stream = socket.GetStream();
        var sent = 0;
        var cutOff = false;
        try
        {
            for (var record = 0; record < 16; record++)
            {
                var payload = new byte[4096];
                if (record == 0)
                {
                    payload[0] = 1; // ClientHello
                    payload[1] = 0x01;
                    payload[2] = 0x86;
                    payload[3] = 0xA0; // 100 000
                    payload[4] = 3;
                    payload[5] = 3;
                }

                byte[] header = [22, 3, 1, 0x10, 0x00];
                await stream.WriteAsync(header);
                await stream.WriteAsync(payload);
                sent += header.Length + payload.Length;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            cutOff = await stream.ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (IOException)
        {
            cutOff = true;
        }

        Assert.True(cutOff, $"the gateway kept the connection open after {sent} bytes");
        await Eventually.HoldsAsync(() => measurements.Sum(Failures, "reason", "handshake-too-large") == 1, "the oversized handshake to be counted");
    }

    [Fact]
    public async Task A_flood_of_refused_handshakes_is_counted_in_full_and_logged_at_a_bounded_rate()
    {
        using var measurements = new GatewayMeasurements(gateway, Failures);
        var chain = WriteChain("flood.pem", junk: 20);
        const int Flood = 60;
        var before = gateway.Logs.WithId(HandshakeFailed).Count();
        var started = System.Diagnostics.Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Flood).Select(_ =>
            OpenSslClient.RequestAsync(gateway.Address.Port, ["-cert", folder.PathOf("leaf.crt"), "-key", folder.PathOf("leaf.key"), "-cert_chain", chain, "-tls1_2"])));
        await Eventually.HoldsAsync(() => measurements.Sum(Failures, "reason", "too-many-certificates") == Flood, $"all {Flood} failures counted");
        var elapsed = started.Elapsed;

        // The bucket allows a burst of 20 lines, then one a second.
        var logged = gateway.Logs.WithId(HandshakeFailed).Count() - before;
        Assert.InRange(logged, 1, 20 + (int)Math.Ceiling(elapsed.TotalSeconds) + 1);
        Assert.True(logged < Flood, $"all {Flood} failures were logged in {elapsed.TotalSeconds:0.0} s");
    }

    private string WriteChain(string name, int junk)
    {
        var certificates = new List<X509Certificate2> { issuing.PublicCertificate };
        for (var i = 0; i < junk; i++)
        {
            using var ca = TestCa.CreateRoot($"CN=Junk {i}, O=Nobody");
            certificates.Add(ca.PublicCertificate);
        }

        return PemFiles.WriteCertificates(folder.PathOf(name), certificates);
    }
}
