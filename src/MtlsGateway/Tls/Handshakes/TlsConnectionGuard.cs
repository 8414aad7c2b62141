using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using MtlsGateway.ClientCertificates;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// The connection middleware in front of Kestrel's TLS middleware, on every gateway endpoint. It observes the
/// handshake on the wire (<see cref="ObservedTransport"/>: caps on the client's flight, resumption), gives the layers
/// after it a connection whose TLS transport ends with close_notify (<see cref="GuardedConnectionContext"/>), and
/// reports a handshake that failed on the client's certificate, which Kestrel itself only logs at Debug.
/// </summary>
internal sealed class TlsConnectionGuard(HandshakeObservations observations, HandshakeFailureReporter reporter, IOptionsMonitor<ClientCertificateOptions> options)
{
    /// <summary>How long the close_notify alert may take to leave.</summary>
    public static readonly TimeSpan CloseNotifyTimeout = TimeSpan.FromSeconds(1);

    private readonly Settings.LastGoodOptions<ClientCertificateOptions> lastGood = new(options);

    public ConnectionDelegate Wrap(ConnectionDelegate next) => context => OnConnectionAsync(next, context);

    private async Task OnConnectionAsync(ConnectionDelegate next, ConnectionContext context)
    {
        var settings = lastGood.Current;
        var observation = new HandshakeObservation();
        var observed = new ObservedTransport(context.Transport, observation, settings.MaxChainCertificates, settings.MaxHandshakeBytes);
        context.Features.Set(observation);
        observations.Current = observation;
        await next(new GuardedConnectionContext(context, observed, observation, observations, CloseNotifyTimeout)).ConfigureAwait(false);
        if (!observation.Completed && (observation.Refusal is not null || observation.ClientSentCertificateFlight))
        {
            reporter.Report(observation, (context.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? context.RemoteEndPoint?.ToString() ?? "unknown");
        }
    }
}
