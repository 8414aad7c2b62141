using System.Buffers;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// Reassembles plaintext TLS handshake messages (4-byte header: type, 24-bit length) from record payloads, which may
/// split a message over several records or carry several messages in one. Holds at most what the caller lets through,
/// and only while a message is incomplete: once everything is drained the buffer goes, so a connection does not keep
/// its handshake's bytes for its lifetime.
/// </summary>
internal sealed class HandshakeMessages
{
    public const int HeaderSize = 4;
    public const byte ClientHello = 1;
    public const byte ServerHello = 2;
    public const byte Certificate = 11;

    private ArrayBufferWriter<byte>? pending;

    /// <summary>Bytes of an incomplete message waiting for the rest.</summary>
    public int BufferedBytes => pending?.WrittenCount ?? 0;

    public void Append(ReadOnlySpan<byte> payload) => (pending ??= new ArrayBufferWriter<byte>()).Write(payload);

    /// <summary>Hands every complete message to <paramref name="onMessage"/>, and the incomplete one (if any) to <paramref name="onPartial"/>.</summary>
    public void Drain(Action<byte, ReadOnlySpan<byte>> onMessage, Action<byte, ReadOnlySpan<byte>>? onPartial = null)
    {
        if (pending is null)
        {
            return;
        }

        var data = pending.WrittenSpan;
        var offset = 0;
        while (data.Length - offset >= HeaderSize)
        {
            var type = data[offset];
            var length = (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3];
            if (data.Length - offset - HeaderSize < length)
            {
                onPartial?.Invoke(type, data.Slice(offset + HeaderSize));
                break;
            }

            onMessage(type, data.Slice(offset + HeaderSize, length));
            offset += HeaderSize + length;
        }

        if (offset == data.Length)
        {
            pending = null;
        }
        else if (offset > 0)
        {
            var rest = data[offset..].ToArray();
            pending.Clear();
            pending.Write(rest);
        }
    }
}
