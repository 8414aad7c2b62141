using System.Buffers;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>The 5-byte TLS record header (RFC 8446 5.1): content type, legacy version, length.</summary>
internal readonly record struct TlsRecordHeader(byte ContentType, int Length)
{
    public const int Size = 5;
    public const byte ChangeCipherSpec = 20;
    public const byte Alert = 21;
    public const byte Handshake = 22;
    public const byte ApplicationData = 23;

    /// <summary>The largest record either protocol allows (TLS 1.2: 2^14 + 2048 of ciphertext).</summary>
    public const int MaxLength = 16384 + 2048;

    public int TotalLength => Size + Length;

    public static TlsRecordHeader Read(ReadOnlySpan<byte> header) => new(header[0], (header[3] << 8) | header[4]);

    public static bool TryPeek(in ReadOnlySequence<byte> buffer, out TlsRecordHeader header)
    {
        if (buffer.Length < Size)
        {
            header = default;
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        buffer.Slice(0, Size).CopyTo(bytes);
        header = Read(bytes);
        return true;
    }
}
