using System.Security.Authentication;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// Reads the server's first handshake records to learn what the TLS layer decided: the protocol, and whether it
/// resumed a session. TLS 1.3 resumes with a pre-shared key, which its ServerHello acknowledges (extension 41);
/// TLS 1.2 resumes with an abbreviated handshake, in which the server sends ChangeCipherSpec right after its
/// ServerHello instead of its Certificate. Neither SslStream nor Kestrel tells this, and it is what decides whether
/// the certificates a client sent belong to this connection's handshake or to an earlier one.
/// </summary>
internal sealed class ServerFlightParser(HandshakeObservation observation)
{
    private const ushort SupportedVersionsExtension = 43;
    private const ushort PreSharedKeyExtension = 41;
    private const ushort Tls13Version = 0x0304;

    // RFC 8446 4.1.3: a HelloRetryRequest is a ServerHello with this random.
    private static readonly byte[] HelloRetryRequestRandom = Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    private readonly byte[] header = new byte[TlsRecordHeader.Size];
    private readonly HandshakeMessages messages = new();
    private int headerFill;
    private int recordRemaining;
    private byte recordType;

    /// <summary>Whether the parser still needs to see what the server writes.</summary>
    public bool Decided => observation.Resumed is not null;

    public void Written(ReadOnlySpan<byte> span)
    {
        while (!span.IsEmpty && !Decided)
        {
            if (recordRemaining == 0)
            {
                var take = Math.Min(span.Length, TlsRecordHeader.Size - headerFill);
                span[..take].CopyTo(header.AsSpan(headerFill));
                headerFill += take;
                span = span[take..];
                if (headerFill == TlsRecordHeader.Size)
                {
                    headerFill = 0;
                    var record = TlsRecordHeader.Read(header);
                    recordType = record.ContentType;
                    recordRemaining = record.Length;
                    if (recordType == TlsRecordHeader.ChangeCipherSpec && observation.Protocol == SslProtocols.Tls12)
                    {
                        observation.Resumed = true;
                    }
                }
            }
            else
            {
                var take = Math.Min(span.Length, recordRemaining);
                recordRemaining -= take;
                if (recordType == TlsRecordHeader.Handshake)
                {
                    messages.Append(span[..take]);
                    messages.Drain(OnMessage);
                }

                span = span[take..];
            }
        }
    }

    private void OnMessage(byte type, ReadOnlySpan<byte> body)
    {
        if (Decided)
        {
            return;
        }

        if (type == HandshakeMessages.ServerHello)
        {
            ReadServerHello(body);
        }
        else if (type == HandshakeMessages.Certificate && observation.Protocol == SslProtocols.Tls12)
        {
            observation.Resumed = false;
        }
    }

    private void ReadServerHello(ReadOnlySpan<byte> body)
    {
        // legacy_version(2) random(32) session_id<0..32> cipher_suite(2) compression(1) extensions<..>
        if (body.Length < 35 || body.Slice(2, 32).SequenceEqual(HelloRetryRequestRandom))
        {
            return;
        }

        var offset = 34 + 1 + body[34] + 3;
        var protocol = SslProtocols.Tls12;
        var preSharedKey = false;
        if (body.Length >= offset + 2)
        {
            var end = Math.Min(body.Length, offset + 2 + ((body[offset] << 8) | body[offset + 1]));
            offset += 2;
            while (end - offset >= 4)
            {
                var extension = (ushort)((body[offset] << 8) | body[offset + 1]);
                var length = (body[offset + 2] << 8) | body[offset + 3];
                offset += 4;
                if (extension == SupportedVersionsExtension && length == 2 && end - offset >= 2 && ((body[offset] << 8) | body[offset + 1]) == Tls13Version)
                {
                    protocol = SslProtocols.Tls13;
                }
                else if (extension == PreSharedKeyExtension)
                {
                    preSharedKey = true;
                }

                offset += length;
            }
        }

        observation.Protocol = protocol;
        if (protocol == SslProtocols.Tls13)
        {
            observation.Resumed = preSharedKey;
        }
    }
}
