using System.Buffers;
using System.IO.Pipelines;
using System.Security.Authentication;
using MtlsGateway.Tls.Handshakes;

namespace MtlsGateway.Tests.Gateway.Tls;

/// <summary>
/// The wire-level checks, fed hand-made TLS 1.2 records (the integration tests send real ones with openssl): what the
/// TLS layer may have of what arrived, and what is refused before it gets it.
/// </summary>
public sealed class ClientFlightParserTests
{
    [Fact]
    public void A_record_that_would_cross_the_byte_limit_is_refused_from_its_header()
    {
        var observation = new HandshakeObservation();
        var parser = new ClientFlightParser(observation, maxChainCertificates: 10, maxHandshakeBytes: 4096);

        Assert.Equal(-1, parser.Examine(Bytes(22, 3, 3, 0x10, 0x00), out _));
        Assert.Equal(HandshakeFailureReason.HandshakeTooLarge, observation.Refusal);
    }

    [Fact]
    public void A_certificate_list_longer_than_the_limit_is_refused_before_the_tls_layer_gets_its_record()
    {
        var observation = new HandshakeObservation { Protocol = SslProtocols.Tls12 };
        var parser = new ClientFlightParser(observation, maxChainCertificates: 3, maxHandshakeBytes: 1 << 20);

        // A Certificate message announcing 20 entries of 100 bytes; only the first four entries arrive.
        var record = CertificateRecord(announced: 20, sent: 4);

        Assert.Equal(-1, parser.Examine(new ReadOnlySequence<byte>(record), out _));
        Assert.Equal(HandshakeFailureReason.TooManyCertificates, observation.Refusal);
        Assert.Contains("at least 4 certificates", observation.RefusalDetail, StringComparison.Ordinal);
        Assert.Equal(-1, parser.Examine(Bytes(22, 3, 3, 0, 1), out _));
    }

    [Fact]
    public void A_certificate_list_cut_into_single_bytes_is_counted_all_the_same()
    {
        var observation = new HandshakeObservation { Protocol = SslProtocols.Tls12 };
        var parser = new ClientFlightParser(observation, maxChainCertificates: 3, maxHandshakeBytes: 1 << 20);
        var record = CertificateRecord(announced: 5, sent: 5);

        long handed = 0;
        var refusedAt = -1;
        for (var end = 1; end <= record.Length && refusedAt < 0; end++)
        {
            // Each read offers what the TLS layer has not consumed; it consumes all it is given.
            var allowed = parser.Examine(new ReadOnlySequence<byte>(record, (int)handed, end - (int)handed), out _);
            if (allowed < 0)
            {
                refusedAt = end;
                break;
            }

            parser.Consumed(allowed);
            handed += allowed;
        }

        Assert.Equal(HandshakeFailureReason.TooManyCertificates, observation.Refusal);
        Assert.True(refusedAt < record.Length, "refused before the last byte of the message arrived");
        Assert.True(handed < record.Length);
    }

    [Fact]
    public void Records_that_arrived_together_go_to_the_tls_layer_together()
    {
        var observation = new HandshakeObservation();
        var parser = new ClientFlightParser(observation, maxChainCertificates: 10, maxHandshakeBytes: 1 << 20);
        var twoRecords = Bytes(23, 3, 3, 0, 2, 1, 2, 23, 3, 3, 0, 1, 9);

        Assert.Equal(13, parser.Examine(twoRecords, out var awaitingHeader));
        Assert.False(awaitingHeader);
        Assert.Equal(13, observation.ClientHandshakeBytes);

        // The TLS layer took only the first record: the second is not counted twice when offered again.
        parser.Consumed(7);
        Assert.Equal(6, parser.Examine(twoRecords.Slice(7), out _));
        Assert.Equal(13, observation.ClientHandshakeBytes);
    }

    [Fact]
    public void A_record_past_the_limit_after_others_is_held_back_and_refused_only_when_the_tls_layer_asks_for_it()
    {
        var observation = new HandshakeObservation();
        var parser = new ClientFlightParser(observation, maxChainCertificates: 10, maxHandshakeBytes: 20);

        // The client's last handshake record (7 bytes) and, right behind it, application data that would cross the limit.
        var flight = Bytes([23, 3, 3, 0, 2, 1, 2, 23, 3, 3, 0, 20, .. new byte[20]]);
        Assert.Equal(7, parser.Examine(flight, out var awaitingHeader));
        Assert.False(awaitingHeader);
        Assert.Null(observation.Refusal);

        // Had the handshake completed with the first record, the application data would pass untouched; it did not.
        parser.Consumed(7);
        Assert.Equal(-1, parser.Examine(flight.Slice(7), out _));
        Assert.Equal(HandshakeFailureReason.HandshakeTooLarge, observation.Refusal);
    }

    [Fact]
    public void A_record_header_that_arrived_in_part_is_held_back_until_the_rest_arrives()
    {
        var observation = new HandshakeObservation();
        var parser = new ClientFlightParser(observation, maxChainCertificates: 10, maxHandshakeBytes: 4096);

        Assert.Equal(0, parser.Examine(Bytes(22, 3, 3), out var awaitingHeader));
        Assert.True(awaitingHeader);
        Assert.Equal(0, observation.ClientHandshakeBytes);

        // The rest of the header crosses the limit: refused although its first bytes came alone.
        Assert.Equal(-1, parser.Examine(Bytes(22, 3, 3, 0x10, 0x00), out _));
        Assert.Equal(HandshakeFailureReason.HandshakeTooLarge, observation.Refusal);
    }

    [Fact]
    public async Task A_partial_header_makes_the_tls_layer_wait_for_more_bytes_instead_of_spinning()
    {
        var (pipe, reader, observation) = ObservedReader();

        // Two bytes of a header: nothing to hand out, and nothing to return until more arrive.
        await pipe.Writer.WriteAsync(new byte[] { 22, 3 });
        var first = await reader.ReadAsync();
        Assert.True(first.Buffer.IsEmpty);
        Assert.False(first.IsCompleted);
        reader.AdvanceTo(first.Buffer.Start, first.Buffer.End);
        var pending = reader.ReadAsync().AsTask();
        Assert.False(pending.IsCompleted);

        // The rest of that record and two bytes of the next: the record goes, the partial header waits again.
        await pipe.Writer.WriteAsync(new byte[] { 3, 0, 2, 7, 7, 22, 3 });
        var second = await pending;
        Assert.Equal(7, second.Buffer.Length);
        reader.AdvanceTo(second.Buffer.End);
        pending = reader.ReadAsync().AsTask();
        Assert.False(pending.IsCompleted);

        await pipe.Writer.WriteAsync(new byte[] { 3, 0, 1, 9 });
        var third = await pending;
        Assert.Equal(6, third.Buffer.Length);
        reader.AdvanceTo(third.Buffer.End);
        Assert.Equal(13, observation.ClientHandshakeBytes);
    }

    [Fact]
    public async Task A_client_that_stops_mid_header_ends_the_stream_for_the_tls_layer()
    {
        var (pipe, reader, observation) = ObservedReader();
        await pipe.Writer.WriteAsync(new byte[] { 22, 3 });
        await pipe.Writer.CompleteAsync();

        var read = await reader.ReadAsync();
        Assert.True(read.Buffer.IsEmpty);
        Assert.True(read.IsCompleted);
        Assert.Null(observation.Refusal);
    }

    private static ReadOnlySequence<byte> Bytes(params byte[] bytes) => new(bytes);

    private static (Pipe Pipe, ObservedPipeReader Reader, HandshakeObservation Observation) ObservedReader()
    {
        var observation = new HandshakeObservation();
        var pipe = new Pipe();
        return (pipe, new ObservedPipeReader(pipe.Reader, new ClientFlightParser(observation, 10, 4096), observation), observation);
    }

    private static byte[] CertificateRecord(int announced, int sent)
    {
        var entries = Enumerable.Range(0, sent).SelectMany(_ => new byte[] { 0, 0, 100 }.Concat(new byte[100])).ToArray();
        var list = announced * 103;
        byte[] body = [(byte)(list >> 16), (byte)(list >> 8), (byte)list, .. entries];
        var messageLength = list + 3;
        byte[] message = [11, (byte)(messageLength >> 16), (byte)(messageLength >> 8), (byte)messageLength, .. body];
        return [22, 3, 3, (byte)(message.Length >> 8), (byte)message.Length, .. message];
    }
}
