using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// One question put to the CRLs ("is this certificate revoked?") and the questions it leads to: the status of CRL
/// signers, which may lead to more. Bounds that recursion and breaks its cycles (an indirect CRL issuer whose own
/// status is on the CRL it signs).
/// </summary>
internal sealed class CrlEvaluation
{
    private readonly List<X509Certificate2> inProgress;

    public CrlEvaluation(string source, CrlSet crls, DateTimeOffset time)
        : this(source, crls, time, 0, [])
    {
    }

    private CrlEvaluation(string source, CrlSet crls, DateTimeOffset time, int depth, List<X509Certificate2> inProgress)
    {
        Source = source;
        Crls = crls;
        Time = time;
        Depth = depth;
        this.inProgress = inProgress;
    }

    public string Source { get; }

    public CrlSet Crls { get; }

    public DateTimeOffset Time { get; }

    /// <summary>How many CRL signers deep this question is (0: a certificate of the validated path).</summary>
    public int Depth { get; }

    /// <summary>Whether the status of <paramref name="certificate"/> is being established further up this question.</summary>
    public bool IsInProgress(X509Certificate2 certificate) =>
        inProgress.Any(other => other.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span));

    /// <summary>The evaluation of a CRL signer's certificate, one level deeper, with it marked as in progress.</summary>
    public CrlEvaluation ForSigner(X509Certificate2 signer) => new(Source, Crls, Time, Depth + 1, [.. inProgress, signer]);
}
