using System.Buffers;
using System.Globalization;
using System.Security.Authentication;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// Reads the client's TLS records before the TLS layer does, during the handshake only. It bounds what the TLS layer
/// has to process: the records' total size (<c>MaxHandshakeBytes</c>, refused from a record's header, before its
/// payload is read) and, where the Certificate message is plaintext (TLS 1.2), the number of certificates
/// (<c>MaxChainCertificates</c>, refused before the TLS layer gets the record that carries one too many). It reads
/// ahead of the TLS layer, so the TLS layer gets every record that has arrived and passed in one read, as it would
/// without the gateway; a record that would cross the byte limit is held back and refused only if the TLS layer asks
/// for it, so application data sent right after the client's Finished never counts as handshake.
/// </summary>
internal sealed class ClientFlightParser(HandshakeObservation observation, int maxChainCertificates, int maxHandshakeBytes)
{
    private readonly HandshakeMessages messages = new();
    private long examinedAhead;
    private int recordRemaining;
    private byte recordType;
    private bool encrypted;

    /// <summary>
    /// Examines what the client sent that the TLS layer has not consumed yet (<paramref name="unconsumed"/>, whose first
    /// bytes may have been examined by an earlier call) and returns how much of it the TLS layer may have now; -1 once the
    /// handshake is refused. <paramref name="awaitingHeader"/> tells that the bytes held back are the start of a record
    /// header: nothing more can be decided until the rest of it arrives.
    /// </summary>
    public long Examine(in ReadOnlySequence<byte> unconsumed, out bool awaitingHeader)
    {
        awaitingHeader = false;
        if (observation.Refusal is not null)
        {
            return -1;
        }

        var position = examinedAhead;
        while (position < unconsumed.Length)
        {
            if (recordRemaining == 0)
            {
                if (!TlsRecordHeader.TryPeek(unconsumed.Slice(position), out var next))
                {
                    awaitingHeader = true;
                    break;
                }

                if (observation.ClientHandshakeBytes + next.TotalLength > maxHandshakeBytes)
                {
                    if (position > 0)
                    {
                        // The TLS layer has records before this one to process first; it may not need this one.
                        break;
                    }

                    observation.Refuse(
                        HandshakeFailureReason.HandshakeTooLarge,
                        string.Create(CultureInfo.InvariantCulture, $"the client's handshake records exceed {maxHandshakeBytes} bytes (MaxHandshakeBytes)"));
                    return -1;
                }

                StartRecord(next);
                position += TlsRecordHeader.Size;
                continue;
            }

            var take = Math.Min(unconsumed.Length - position, recordRemaining);
            ReadPayload(unconsumed.Slice(position, take));
            recordRemaining -= (int)take;
            position += take;
            if (observation.Refusal is not null)
            {
                return -1;
            }
        }

        examinedAhead = position;
        return position;
    }

    /// <summary>Takes note that the TLS layer consumed <paramref name="count"/> bytes of what it was allowed.</summary>
    public void Consumed(long count) => examinedAhead -= count;

    private void StartRecord(TlsRecordHeader record)
    {
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

    private void ReadPayload(in ReadOnlySequence<byte> payload)
    {
        if (recordType != TlsRecordHeader.Handshake || encrypted || observation.Protocol == SslProtocols.Tls13)
        {
            return;
        }

        foreach (var segment in payload)
        {
            messages.Append(segment.Span);
        }

        messages.Drain(OnMessage, OnPartialMessage);
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
        while (body.Length - offset >= 3)
        {
            var length = (body[offset] << 16) | (body[offset + 1] << 8) | body[offset + 2];
            count++;
            if (count == 1 && observation.ClientLeaf is null && body.Length - offset - 3 >= length)
            {
                observation.ClientLeaf = body.Slice(offset + 3, length).ToArray();
            }

            offset += 3 + length;
        }

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
