using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Telemetry;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// Finds the verdict for a request's client certificate at the lowest cost that is still correct: the connection's own
/// verdict while it is current, else a verdict cached for the same presented chain, else a fresh validation. A resumed
/// TLS session is judged with the chain its certificate was sent with in full handshakes (<see cref="HandshakeChainMemory"/>).
/// </summary>
internal sealed class ConnectionVerdicts(
    ClientCertificateValidator validator,
    VerdictCache cache,
    ValidationEpoch epoch,
    HandshakeChainMemory handshakeChains,
    GatewayMetrics metrics,
    GatewayTracing tracing,
    TimeProvider timeProvider)
{
    public async ValueTask<ValidationVerdict> GetAsync(X509Certificate2 certificate, ClientConnectionState connection, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (connection.Verdict is { } own && own.IsCurrent(now, epoch.Current))
        {
            return own;
        }

        var verdict = connection.Resumed
            ? await JudgeResumedAsync(certificate, connection, now, cancellationToken).ConfigureAwait(false)
            : await JudgeAsync(certificate, connection.PresentedIntermediates, now, cancellationToken).ConfigureAwait(false);
        connection.Verdict = verdict;
        return verdict;
    }

    /// <summary>
    /// The verdict of the full handshake(s) the session may resume: with one remembered chain, exactly its verdict; with
    /// several, a refusal if any chain is refused, and an acceptance only if every chain is accepted with the same path
    /// and policies. A session whose chain is no longer remembered is refused, never judged without it.
    /// </summary>
    private async ValueTask<ValidationVerdict> JudgeResumedAsync(X509Certificate2 certificate, ClientConnectionState connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var remembered = handshakeChains.Of(certificate);
        if (remembered is null || remembered.Overflowed)
        {
            var why = remembered is null ? "the certificates sent in its full handshake are no longer remembered" : "its certificate was sent with too many different chains";
            return ValidationVerdict.Refuse(RefusalReason.Untrusted, $"resumed TLS session: {why}; connect with a new TLS session", [], DateTimeOffset.MaxValue, epoch.Current);
        }

        ValidationVerdict? accepted = null;
        foreach (var chain in remembered.Chains)
        {
            var verdict = await JudgeAsync(certificate, chain, now, cancellationToken).ConfigureAwait(false);
            if (!verdict.Accepted)
            {
                connection.AdoptHandshakeChain(chain);
                return verdict;
            }

            if (accepted is null)
            {
                accepted = verdict;
                connection.AdoptHandshakeChain(chain);
            }
            else if (!SameOutcome(accepted, verdict))
            {
                return ValidationVerdict.Refuse(RefusalReason.Untrusted, "resumed TLS session: its certificate was sent with chains that lead to different paths; connect with a new TLS session", [], DateTimeOffset.MaxValue, epoch.Current);
            }
        }

        return accepted!;
    }

    private async ValueTask<ValidationVerdict> JudgeAsync(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> presented, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = VerdictCache.KeyOf(certificate, presented);
        if (cache.TryGet(key, out var verdict))
        {
            return verdict;
        }

        using var span = tracing.Source.StartActivity("validate client certificate");
        var started = Stopwatch.GetTimestamp();
        verdict = await validator.ValidateAsync(certificate, presented, now, cancellationToken).ConfigureAwait(false);
        metrics.ValidationCompleted(verdict, Stopwatch.GetElapsedTime(started));
        Describe(span, verdict);
        cache.Store(key, verdict);
        return verdict;
    }

    private static bool SameOutcome(ValidationVerdict a, ValidationVerdict b) =>
        a.Path.Count == b.Path.Count
        && a.Path.Zip(b.Path).All(pair => pair.First.RawDataMemory.Span.SequenceEqual(pair.Second.RawDataMemory.Span))
        && a.ValidPolicies.Order(StringComparer.Ordinal).SequenceEqual(b.ValidPolicies.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private static void Describe(Activity? span, ValidationVerdict verdict)
    {
        if (span is null)
        {
            return;
        }

        // The outcome only: no certificate content goes into a span.
        span.SetTag("mtlsgateway.client_certificate.result", verdict.Accepted ? "accepted" : "refused");
        span.SetTag("mtlsgateway.client_certificate.reason", verdict.Refusal?.ToCode() ?? "none");
        span.SetTag("mtlsgateway.client_certificate.chain_length", verdict.Path.Count);
    }
}
