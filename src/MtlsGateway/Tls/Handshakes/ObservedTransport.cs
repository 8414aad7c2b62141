using System.IO.Pipelines;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>The raw (encrypted) transport of a connection, with both directions observed during the handshake.</summary>
internal sealed class ObservedTransport(IDuplexPipe raw, HandshakeObservation observation, int maxChainCertificates, int maxHandshakeBytes) : IDuplexPipe
{
    public PipeReader Input { get; } = new ObservedPipeReader(raw.Input, new ClientFlightParser(observation, maxChainCertificates, maxHandshakeBytes), observation);

    public PipeWriter Output { get; } = new ObservedPipeWriter(raw.Output, new ServerFlightParser(observation));
}
