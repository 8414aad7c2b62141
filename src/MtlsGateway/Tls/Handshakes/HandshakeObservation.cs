using System.Security.Authentication;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// What the gateway saw of one connection's TLS handshake on the wire and in the validation callback: whether the
/// session was resumed, what the client sent, whether the gateway refused it, and whether the handshake completed.
/// One per connection; written by the transport observers and the callback, read once the handshake is over.
/// </summary>
internal sealed class HandshakeObservation
{
    private volatile bool completed;
    private readonly Lock gate = new();
    private HandshakeFailureReason? refusal;

    /// <summary>The protocol the server chose in its ServerHello; null until seen.</summary>
    public SslProtocols? Protocol { get; set; }

    /// <summary>Whether the server resumed a session (abbreviated TLS 1.2 handshake, or a TLS 1.3 PSK); null until known.</summary>
    public bool? Resumed { get; set; }

    /// <summary>Bytes of TLS records the client sent before the handshake completed.</summary>
    public long ClientHandshakeBytes { get; set; }

    /// <summary>TLS 1.2 only (its Certificate message is plaintext): how many certificates the client sent; null if not seen.</summary>
    public int? ClientCertificateCount { get; set; }

    /// <summary>TLS 1.2 only: the first certificate the client sent, as sent (it may not parse).</summary>
    public byte[]? ClientLeaf { get; set; }

    /// <summary>The client sent the flight that carries its certificate (plaintext in TLS 1.2, encrypted in TLS 1.3).</summary>
    public bool ClientSentCertificateFlight { get; set; }

    /// <summary>
    /// The client certificate the validation callback saw, as DER; its names are read only if the handshake fails and
    /// is reported, not on every handshake.
    /// </summary>
    public ReadOnlyMemory<byte>? CallbackCertificate { get; set; }

    /// <summary>How many certificates the handshake chain policy held before SslStream added the client's.</summary>
    public int ConfiguredExtraCertificates { get; set; }

    /// <summary>The exception Kestrel caught when the handshake failed (it logs it at Debug only).</summary>
    public Exception? HandshakeError { get; set; }

    /// <summary>The gateway's own refusal of this handshake, if any (first one wins).</summary>
    public HandshakeFailureReason? Refusal
    {
        get
        {
            lock (gate)
            {
                return refusal;
            }
        }
    }

    public string? RefusalDetail { get; private set; }

    public bool Completed => completed;

    public void MarkCompleted() => completed = true;

    public void Refuse(HandshakeFailureReason reason, string detail)
    {
        lock (gate)
        {
            if (refusal is null)
            {
                RefusalDetail = detail;
                refusal = reason;
            }
        }
    }
}
