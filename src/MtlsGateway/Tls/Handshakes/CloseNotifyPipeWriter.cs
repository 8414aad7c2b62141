using System.IO.Pipelines;
using System.Net.Security;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// The HTTP layer's side of the TLS stream. When the HTTP layer completes it normally (the connection is closing:
/// <c>Connection: close</c>, HTTP/1.0, the keep-alive timeout, a GOAWAY), it sends the TLS close_notify alert before
/// Kestrel disposes the stream, so clients know the response was not truncated and keep the session for resumption.
/// Bounded in time; an aborted connection gets none.
/// </summary>
internal sealed class CloseNotifyPipeWriter(PipeWriter inner, SslStream stream, TimeSpan timeout) : PipeWriter
{
    private int closed;

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override void Advance(int bytes) => inner.Advance(bytes);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) => inner.WriteAsync(source, cancellationToken);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        // Kestrel completes its output synchronously; the alert is a few bytes into the socket's send buffer.
        inner.Complete(exception);
        if (exception is null && Interlocked.Exchange(ref closed, 1) == 0)
        {
            try
            {
                SendCloseNotifyAsync().AsTask().Wait(timeout);
            }
            catch (AggregateException)
            {
                // The client went away first: nothing to tell it.
            }
        }
    }

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        await inner.CompleteAsync(exception).ConfigureAwait(false);
        if (exception is null && Interlocked.Exchange(ref closed, 1) == 0)
        {
            try
            {
                await SendCloseNotifyAsync().AsTask().WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The client stopped reading: it will not get the alert, and the connection closes anyway.
            }
        }
    }

    private async ValueTask SendCloseNotifyAsync()
    {
        try
        {
            await stream.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            // The client went away first, or the stream is already closing: nothing to tell it.
        }
    }
}
