using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// Keys connection state on the client certificate object, which Kestrel creates once per handshake and hands both to
/// the certificate validation callback and to every request of that connection; the entry dies with the connection.
/// </summary>
internal sealed class ClientConnectionRegistry(HandshakeChainMemory memory, PresentedCertificates presentedCertificates)
{
    private readonly ConditionalWeakTable<X509Certificate2, ClientConnectionState> states = new();

    /// <summary>
    /// Kestrel's ClientCertificateValidation callback: remembers what was sent (copies, shared between connections:
    /// SslStream owns the chain's certificates); the middleware judges it. A full handshake's chain is also kept for the sessions that resume it.
    /// </summary>
    public bool RecordHandshake(X509Certificate2 certificate, IEnumerable<X509Certificate2> sent, bool resumed)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(sent);
        if (resumed)
        {
            states.AddOrUpdate(certificate, new ClientConnectionState([], resumed: true));
            return true;
        }

        X509Certificate2[] copies = [.. sent
            .Where(c => !c.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            .Select(presentedCertificates.CopyOf)];
        memory.Remember(certificate, copies);
        states.AddOrUpdate(certificate, new ClientConnectionState(copies));
        return true;
    }

    /// <summary>
    /// The connection's state. A certificate the callback never saw came from a resumed TLS session: Kestrel runs the
    /// callback on every full handshake with a certificate, and on no resumption.
    /// </summary>
    public ClientConnectionState StateOf(X509Certificate2 certificate) =>
        states.GetValue(certificate, _ => new ClientConnectionState([], resumed: true));
}
