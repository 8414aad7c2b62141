namespace MtlsGateway.Validation.Verdicts;

/// <summary>
/// A counter that every source of validation data (trust list, CRLs, OCSP answers) advances when its data changes.
/// Verdicts remember the epoch they were computed in, so a change invalidates every cached verdict at once,
/// including the verdicts held by already open keep-alive connections.
/// </summary>
public sealed class ValidationEpoch
{
    private long current;

    public long Current => Interlocked.Read(ref current);

    public long Advance() => Interlocked.Increment(ref current);
}
