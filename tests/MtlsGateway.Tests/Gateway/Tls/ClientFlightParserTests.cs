using System.Buffers;
using MtlsGateway.Tls.Handshakes;

namespace MtlsGateway.Tests.Gateway.Tls;

/// <summary>The wire-level checks, fed hand-made TLS 1.2 records (the integration tests send real ones with openssl).</summary>
public sealed class ClientFlightParserTests
{
    [Fact]
    public void A_record_that_would_cross_the_byte_limit_is_refused_from_its_header()
    {
        var observation = new HandshakeObservation();
        var parser = new ClientFlightParser(observation, maxChainCertificates: 10, maxHandshakeBytes: 4096);
        var header = new ReadOnlySequence<byte>([22, 3, 3, 0x10, 0x00]);

        Assert.Equal(-1, parser.AllowedAhead(header));
        Assert.Equal(HandshakeFailureReason.HandshakeTooLarge, observation.Refusal);
    }

    [Fact]
    public void A_certificate_list_longer_than_the_limit_is_refused_before_the_list_is_complete()
    {
        var observation = new HandshakeObservation { Protocol = System.Security.Authentication.SslProtocols.Tls12 };
        var parser = new ClientFlightParser(observation, maxChainCertificates: 3, maxHandshakeBytes: 1 << 20);

        // A Certificate message announcing 20 entries of 100 bytes; only the first four entries arrive.
        var entries = Enumerable.Range(0, 4).SelectMany(_ => new byte[] { 0, 0, 100 }.Concat(new byte[100])).ToArray();
        var list = 20 * 103;
        byte[] body = [(byte)(list >> 16), (byte)(list >> 8), (byte)list, .. entries];
        var messageLength = list + 3;
        byte[] message = [11, (byte)(messageLength >> 16), (byte)(messageLength >> 8), (byte)messageLength, .. body];
        byte[] record = [22, 3, 3, (byte)(message.Length >> 8), (byte)message.Length, .. message];

        var buffer = new ReadOnlySequence<byte>(record);
        Assert.Equal(record.Length, parser.AllowedAhead(buffer));
        parser.Consume(buffer);

        Assert.Equal(HandshakeFailureReason.TooManyCertificates, observation.Refusal);
        Assert.Contains("at least 4 certificates", observation.RefusalDetail, StringComparison.Ordinal);
        Assert.Equal(-1, parser.AllowedAhead(new ReadOnlySequence<byte>([22, 3, 3, 0, 1])));
    }

    [Fact]
    public void The_tls_layer_gets_one_record_at_a_time()
    {
        var observation = new HandshakeObservation();
        var parser = new ClientFlightParser(observation, maxChainCertificates: 10, maxHandshakeBytes: 1 << 20);
        byte[] twoRecords = [23, 3, 3, 0, 2, 1, 2, 23, 3, 3, 0, 1, 9];

        Assert.Equal(7, parser.AllowedAhead(new ReadOnlySequence<byte>(twoRecords)));
        parser.Consume(new ReadOnlySequence<byte>(twoRecords.AsMemory(0, 7)));
        Assert.Equal(6, parser.AllowedAhead(new ReadOnlySequence<byte>(twoRecords.AsMemory(7))));
        Assert.Equal(7, observation.ClientHandshakeBytes);
    }
}
