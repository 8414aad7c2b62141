using System.Net.Sockets;
using System.Security.Cryptography;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.Tls;

/// <summary>
/// A handshake that the TLS library itself fails on the client's certificate leaves a trace: one log line with the
/// remote address and the reason, and a count. No ordinary client sends an unparseable certificate, so this test
/// speaks TLS 1.2 on a raw socket up to the client's Certificate message (which TLS 1.2 sends in clear).
/// </summary>
public sealed class HandshakeFailureTests : GatewayPerTest
{
    private const int HandshakeFailed = 3002;
    private const string Failures = "mtlsgateway.tls.handshake.failures";

    [Fact]
    public async Task An_unparseable_client_certificate_fails_the_handshake_and_is_logged_and_counted()
    {
        using var measurements = new GatewayMeasurements(gateway, Failures);
        using var socket = new TcpClient();
        await socket.ConnectAsync(gateway.Address.Host, gateway.Address.Port);
        var stream = socket.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await stream.WriteAsync(Record(22, ClientHello()), timeout.Token);
        await ReadUntilServerHelloDoneAsync(stream, timeout.Token);

        // A DER SEQUENCE announcing 65 535 bytes, followed by 200: no TLS library can read it as a certificate.
        byte[] garbage = [0x30, 0x82, 0xFF, 0xFF, .. Enumerable.Repeat((byte)0x41, 200)];
        byte[] list = [.. Length24(garbage.Length), .. garbage];
        byte[] certificate = [11, .. Length24(list.Length + 3), .. Length24(list.Length), .. list];
        await stream.WriteAsync(Record(22, certificate), timeout.Token);
        await DrainAsync(stream, timeout.Token);

        await Eventually.HoldsAsync(() => measurements.Total(Failures) == 1, "the failed handshake to be counted");
        Assert.Equal(1, measurements.Sum(Failures, "reason", "bad-certificate"));
        var line = Assert.Single(gateway.Logs.WithId(HandshakeFailed));
        Assert.Equal("bad-certificate", line.Fields["Reason"]);
        Assert.Equal("127.0.0.1", line.Fields["RemoteAddress"]);
        Assert.Equal("unreadable", line.Fields["Subject"]);
        Assert.False(string.IsNullOrWhiteSpace(line.Fields["Detail"] as string));
    }

    private static byte[] ClientHello()
    {
        byte[] extensions =
        [
            0x00, 0x0A, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, // supported_groups: secp256r1
            0x00, 0x0B, 0x00, 0x02, 0x01, 0x00, // ec_point_formats: uncompressed
            0x00, 0x0D, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03, // signature_algorithms: ecdsa_secp256r1_sha256
            0xFF, 0x01, 0x00, 0x01, 0x00, // renegotiation_info
        ];
        byte[] body =
        [
            0x03, 0x03, .. RandomNumberGenerator.GetBytes(32), 0x00, // TLS 1.2, random, no session id
            0x00, 0x04, 0xC0, 0x2B, 0xC0, 0x2F, // ECDHE-ECDSA/RSA-AES128-GCM-SHA256
            0x01, 0x00, // no compression
            (byte)(extensions.Length >> 8), (byte)extensions.Length, .. extensions,
        ];
        return [1, .. Length24(body.Length), .. body];
    }

    private static byte[] Record(byte type, byte[] payload) => [type, 3, 3, (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];

    private static byte[] Length24(int length) => [(byte)(length >> 16), (byte)(length >> 8), (byte)length];

    /// <summary>Reads the server's first flight up to its ServerHelloDone (the CertificateRequest comes before it).</summary>
    private static async Task ReadUntilServerHelloDoneAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var handshake = new List<byte>();
        var header = new byte[5];
        while (true)
        {
            await stream.ReadExactlyAsync(header, cancellationToken);
            var payload = new byte[(header[3] << 8) | header[4]];
            await stream.ReadExactlyAsync(payload, cancellationToken);
            Assert.True(header[0] == 22, $"the server sent a record of type {header[0]} before ServerHelloDone");
            handshake.AddRange(payload);
            var offset = 0;
            while (handshake.Count - offset >= 4)
            {
                var length = (handshake[offset + 1] << 16) | (handshake[offset + 2] << 8) | handshake[offset + 3];
                if (handshake[offset] == 14)
                {
                    return;
                }

                offset += 4 + length;
            }
        }
    }

    private static async Task DrainAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset by the server: the handshake is over either way.
        }
    }
}
