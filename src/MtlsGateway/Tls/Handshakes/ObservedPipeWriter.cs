using System.IO.Pipelines;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>The server side of the raw transport, shown to <see cref="ServerFlightParser"/> until it has what it needs.</summary>
internal sealed class ObservedPipeWriter(PipeWriter inner, ServerFlightParser parser) : PipeWriter
{
    private Memory<byte> lastMemory;

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override Memory<byte> GetMemory(int sizeHint = 0) => lastMemory = inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (!parser.Decided)
        {
            parser.Written(lastMemory.Span[..bytes]);
        }

        inner.Advance(bytes);
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        if (!parser.Decided)
        {
            parser.Written(source.Span);
        }

        return inner.WriteAsync(source, cancellationToken);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
}
