using System.Buffers;
using System.IO.Pipelines;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// The client side of the raw transport, seen through <see cref="ClientFlightParser"/> until the handshake completes:
/// the TLS layer gets what the parser allows, and end of stream once the gateway refused the handshake. Afterwards it
/// passes reads through untouched.
/// </summary>
internal sealed class ObservedPipeReader(PipeReader inner, ClientFlightParser parser, HandshakeObservation observation) : PipeReader
{
    private ReadOnlySequence<byte> handedOut;
    private SequencePosition receivedEnd;
    private bool awaitingHeader;
    private bool observing = true;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        StillObserving() ? ObserveAsync(cancellationToken) : inner.ReadAsync(cancellationToken);

    public override bool TryRead(out ReadResult result)
    {
        if (!StillObserving())
        {
            return inner.TryRead(out result);
        }

        if (!inner.TryRead(out var read))
        {
            result = default;
            return false;
        }

        result = Observe(read);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (observing)
        {
            // The TLS layer examined all it was given, and what was held back is an incomplete record header: the
            // next read must wait for more bytes, not return the same ones at once.
            if (awaitingHeader && examined.Equals(handedOut.End))
            {
                examined = receivedEnd;
            }

            if (!handedOut.IsEmpty)
            {
                parser.Consumed(handedOut.Slice(handedOut.Start, consumed).Length);
            }

            handedOut = default;
            awaitingHeader = false;
        }

        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    /// <summary>Once the handshake has completed every read passes straight through: no state machine per read.</summary>
    private bool StillObserving()
    {
        if (observing && observation.Completed)
        {
            observing = false;
        }

        return observing;
    }

    private async ValueTask<ReadResult> ObserveAsync(CancellationToken cancellationToken) =>
        Observe(await inner.ReadAsync(cancellationToken).ConfigureAwait(false));

    private ReadResult Observe(ReadResult result)
    {
        var allowed = parser.Examine(result.Buffer, out awaitingHeader);
        receivedEnd = result.Buffer.End;
        if (allowed < 0)
        {
            // Refused: the TLS layer sees the end of the stream and gives up, without the rest of the client's flight.
            handedOut = result.Buffer.Slice(0, 0);
            awaitingHeader = false;
            return new ReadResult(handedOut, isCanceled: false, isCompleted: true);
        }

        handedOut = result.Buffer.Slice(0, allowed);

        // A client that stopped sending mid-header ends its stream there: the TLS layer gets the end with the rest.
        return allowed == result.Buffer.Length ? result : new ReadResult(handedOut, result.IsCanceled, result.IsCompleted);
    }
}
