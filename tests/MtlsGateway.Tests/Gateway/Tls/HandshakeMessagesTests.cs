using MtlsGateway.Tls.Handshakes;

namespace MtlsGateway.Tests.Gateway.Tls;

/// <summary>
/// Reassembly of plaintext handshake messages from record payloads: split and packed messages come out whole, and the
/// buffer is held only while a message is incomplete.
/// </summary>
public sealed class HandshakeMessagesTests
{
    [Fact]
    public void Messages_packed_into_one_payload_come_out_one_by_one_and_leave_nothing_buffered()
    {
        var messages = new HandshakeMessages();
        var seen = new List<(byte Type, int Length)>();

        messages.Append([1, 0, 0, 2, 9, 9, 11, 0, 0, 1, 7]);
        messages.Drain((type, body) => seen.Add((type, body.Length)));

        Assert.Equal([(1, 2), (11, 1)], seen);
        Assert.Equal(0, messages.BufferedBytes);
    }

    [Fact]
    public void A_message_split_over_payloads_is_shown_in_part_then_whole_and_its_buffer_goes()
    {
        var messages = new HandshakeMessages();
        var partial = new List<int>();
        var whole = new List<int>();

        messages.Append([11, 0, 0, 5, 1]);
        messages.Drain((_, body) => whole.Add(body.Length), (_, body) => partial.Add(body.Length));
        Assert.Equal(5, messages.BufferedBytes);

        messages.Append([2, 3]);
        messages.Drain((_, body) => whole.Add(body.Length), (_, body) => partial.Add(body.Length));
        messages.Append([4, 5, 2, 0]);
        messages.Drain((_, body) => whole.Add(body.Length), (_, body) => partial.Add(body.Length));

        Assert.Equal([1, 3], partial);
        Assert.Equal([5], whole);
        // The next message's first two header bytes are all that is kept.
        Assert.Equal(2, messages.BufferedBytes);
    }

    [Fact]
    public void A_header_announcing_sixteen_megabytes_holds_only_the_bytes_that_came()
    {
        var messages = new HandshakeMessages();
        var partial = 0;

        messages.Append([11, 0xFF, 0xFF, 0xFF, .. new byte[10]]);
        messages.Drain((_, _) => Assert.Fail("incomplete"), (_, body) => partial = body.Length);

        Assert.Equal(10, partial);
        Assert.Equal(14, messages.BufferedBytes);
    }
}
