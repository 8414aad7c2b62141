using System.Buffers;
using System.Globalization;
using System.Security.Authentication;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// Reads the client's TLS records before the TLS layer does, during the handshake only. It bounds what the TLS layer
/// has to process: the records' total size (<c>MaxHandshakeBytes</c>, refused from a record's header, before its
/// payload is read) and, where the Certificate message is plaintext (TLS 1.2), the number of certificates
/// (<c>MaxChainCertificates</c>, refused before OpenSSL parses any of them). It hands the TLS layer one record at a
/// time, so the count covers handshake records only, never application data sent right after the client's Finished.
/// </summary>
internal sealed class ClientFlightParser(HandshakeObservation observation, int maxChainCertificates, int maxHandshakeBytes)
{
    private readonly byte[] header = new byte[TlsRecordHeader.Size];
    private readonly HandshakeMessages messages = new();
    private int headerFill;
    private int recordRemaining;
    private byte recordType;
    private bool encrypted;

    /// <summary>How many bytes of <paramref name="available"/> the TLS layer may have now; -1 once the handshake is refused.</summary>
    public long AllowedAhead(in ReadOnlySequence<byte> available)
    {
        if (observation.Refusal is not null)
        {
            return -1;
        }

        if (recordRemaining > 0)
        {
            return Math.Min(available.Length, recordRemaining);
        }

        var missingHeader = TlsRecordHeader.Size - headerFill;
        if (available.Length < missingHeader)
        {
            return available.Length;
        }

        Span<byte> bytes = stackalloc byte[TlsRecordHeader.Size];
        header.AsSpan(0, headerFill).CopyTo(bytes);
        available.Slice(0, missingHeader).CopyTo(bytes[headerFill..]);
        var next = TlsRecordHeader.Read(bytes);
        if (observation.ClientHandshakeBytes + next.TotalLength > maxHandshakeBytes)
        {
            observation.Refuse(
                HandshakeFailureReason.HandshakeTooLarge,
                string.Create(CultureInfo.InvariantCulture, $"the client's handshake records exceed {maxHandshakeBytes} bytes (MaxHandshakeBytes)"));
            return -1;
        }

        return Math.Min(available.Length, missingHeader + next.Length);
    }

    /// <summary>Takes note of the bytes the TLS layer consumed, in order.</summary>
    public void Consume(in ReadOnlySequence<byte> consumed)
    {
        foreach (var segment in consumed)
        {
            var span = segment.Span;
            while (!span.IsEmpty)
            {
                span = recordRemaining == 0 ? ReadHeader(span) : ReadPayload(span);
            }
        }
    }

    private ReadOnlySpan<byte> ReadHeader(ReadOnlySpan<byte> span)
    {
        var take = Math.Min(span.Length, TlsRecordHeader.Size - headerFill);
        span[..take].CopyTo(header.AsSpan(headerFill));
        headerFill += take;
        if (headerFill == TlsRecordHeader.Size)
        {
            headerFill = 0;
            var record = TlsRecordHeader.Read(header);
            recordType = record.ContentType;
            recordRemaining = record.Length;
            observation.ClientHandshakeBytes += record.TotalLength;
            if (recordType == TlsRecordHeader.ChangeCipherSpec && observation.Protocol == SslProtocols.Tls12)
            {
                encrypted = true;
            }
            else if (recordType == TlsRecordHeader.ApplicationData && observation.Protocol == SslProtocols.Tls13 && observation.Resumed == false)
            {
                // TLS 1.3 encrypts the client's Certificate: all that can be known is that the flight carrying it arrived.
                observation.ClientSentCertificateFlight = true;
            }
        }

        return span[take..];
    }

    private ReadOnlySpan<byte> ReadPayload(ReadOnlySpan<byte> span)
    {
        var take = Math.Min(span.Length, recordRemaining);
        recordRemaining -= take;
        if (recordType == TlsRecordHeader.Handshake && !encrypted && observation.Protocol != SslProtocols.Tls13)
        {
            messages.Append(span[..take]);
            messages.Drain(OnMessage, OnPartialMessage);
        }

        return span[take..];
    }

    private void OnMessage(byte type, ReadOnlySpan<byte> body)
    {
        if (type == HandshakeMessages.Certificate)
        {
            observation.ClientSentCertificateFlight = true;
            CountCertificates(body, complete: true);
        }
    }

    private void OnPartialMessage(byte type, ReadOnlySpan<byte> body)
    {
        if (type == HandshakeMessages.Certificate)
        {
            CountCertificates(body, complete: false);
        }
    }

    // TLS 1.2 Certificate: certificate_list<0..2^24-1>, each ASN.1Cert<1..2^24-1>. Counted from the entry headers,
    // so a list that is too long is refused as soon as the header of one certificate too many has arrived.
    private void CountCertificates(ReadOnlySpan<byte> body, bool complete)
    {
        if (body.Length < 3)
        {
            return;
        }

        var offset = 3;
        var count = 0;
        byte[]? leaf = null;
        while (body.Length - offset >= 3)
        {
            var length = (body[offset] << 16) | (body[offset + 1] << 8) | body[offset + 2];
            count++;
            if (count == 1 && body.Length - offset - 3 >= length)
            {
                leaf = body.Slice(offset + 3, length).ToArray();
            }

            offset += 3 + length;
        }

        observation.ClientLeaf ??= leaf;
        if (count > maxChainCertificates)
        {
            observation.ClientCertificateCount = count;
            observation.Refuse(
                HandshakeFailureReason.TooManyCertificates,
                string.Create(CultureInfo.InvariantCulture, $"the client sent {(complete ? string.Empty : "at least ")}{count} certificates, more than {maxChainCertificates} (MaxChainCertificates)"));
        }
        else if (complete)
        {
            observation.ClientCertificateCount = count;
        }
    }
}
