using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Chains;

/// <summary>
/// The judgement on one presented certificate chain. <see cref="ValidUntil"/> and <see cref="Epoch"/> say when it must
/// be recomputed: at the earliest expiry of what it was based on, or as soon as trust or revocation data changes.
/// </summary>
public sealed record ValidationVerdict
{
    private ValidationVerdict(RefusalReason? refusal, string detail, IReadOnlyList<X509Certificate2> path, DateTimeOffset validUntil, long epoch)
    {
        Refusal = refusal;
        Detail = detail;
        Path = path;
        ValidUntil = validUntil;
        Epoch = epoch;
    }

    public RefusalReason? Refusal { get; }

    public bool Accepted => Refusal is null;

    /// <summary>Human-readable detail for operators; never contains file paths or stack traces.</summary>
    public string Detail { get; }

    /// <summary>The validated path (end entity first, trust anchor last); empty when no path could be built.</summary>
    public IReadOnlyList<X509Certificate2> Path { get; }

    public DateTimeOffset ValidUntil { get; }

    public long Epoch { get; }

    public static ValidationVerdict Accept(IReadOnlyList<X509Certificate2> path, DateTimeOffset validUntil, long epoch) =>
        new(null, "accepted", path, validUntil, epoch);

    public static ValidationVerdict Refuse(RefusalReason reason, string detail, IReadOnlyList<X509Certificate2> path, DateTimeOffset validUntil, long epoch) =>
        new(reason, detail, path, validUntil, epoch);

    public bool IsCurrent(DateTimeOffset now, long currentEpoch) => Epoch == currentEpoch && now < ValidUntil;
}
