using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// The connection as the TLS middleware and the HTTP layer see it. Kestrel's TLS middleware replaces the transport with
/// the decrypted one once the handshake has succeeded; this context notes that moment (the handshake completed), ends
/// the handshake's observation in that async flow, and gives the HTTP layer a transport that ends with close_notify.
/// Everything else is the connection's own.
/// </summary>
internal sealed class GuardedConnectionContext(ConnectionContext inner, IDuplexPipe observedTransport, HandshakeObservation observation, HandshakeObservations observations, TimeSpan closeNotifyTimeout) : ConnectionContext
{
    private readonly IDuplexPipe raw = observedTransport;
    private IDuplexPipe transport = observedTransport;

    public override string ConnectionId
    {
        get => inner.ConnectionId;
        set => inner.ConnectionId = value;
    }

    public override IFeatureCollection Features => inner.Features;

    public override IDictionary<object, object?> Items
    {
        get => inner.Items;
        set => inner.Items = value;
    }

    public override IDuplexPipe Transport
    {
        get => transport;
        set
        {
            if (!ReferenceEquals(value, raw) && !observation.Completed && Features.Get<SslStream>() is { } stream)
            {
                observation.MarkCompleted();
                transport = new CloseNotifyTransport(value, stream, closeNotifyTimeout);

                // Set from here on in the TLS middleware's flow, which goes on to serve every request of the
                // connection: without the handshake's observation the requests run in the default execution context
                // (nothing to capture and restore at each await), and nothing they start keeps the observation alive.
                observations.Current = null;
                return;
            }

            transport = value;
        }
    }

    public override CancellationToken ConnectionClosed
    {
        get => inner.ConnectionClosed;
        set => inner.ConnectionClosed = value;
    }

    public override EndPoint? LocalEndPoint
    {
        get => inner.LocalEndPoint;
        set => inner.LocalEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => inner.RemoteEndPoint;
        set => inner.RemoteEndPoint = value;
    }

    public override void Abort(ConnectionAbortedException abortReason) => inner.Abort(abortReason);

    public override void Abort() => inner.Abort();
}
