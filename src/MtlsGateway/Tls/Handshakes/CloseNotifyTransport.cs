using System.IO.Pipelines;
using System.Net.Security;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>The TLS transport Kestrel's HTTP layer uses, whose output sends close_notify when completed (<see cref="CloseNotifyPipeWriter"/>).</summary>
internal sealed class CloseNotifyTransport(IDuplexPipe tls, SslStream stream, TimeSpan timeout) : IDuplexPipe
{
    public PipeReader Input => tls.Input;

    public PipeWriter Output { get; } = new CloseNotifyPipeWriter(tls.Output, stream, timeout);
}
