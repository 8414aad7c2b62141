using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Telemetry;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// Finds the verdict for a request's client certificate at the lowest cost that is still correct: the connection's own
/// verdict while it is current, else a verdict cached for the same presented chain, else a fresh validation.
/// </summary>
internal sealed class ConnectionVerdicts(
    ClientCertificateValidator validator,
    VerdictCache cache,
    ValidationEpoch epoch,
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

        var key = VerdictCache.KeyOf(certificate, connection.PresentedIntermediates);
        if (!cache.TryGet(key, out var verdict))
        {
            using var span = tracing.Source.StartActivity("validate client certificate");
            var started = Stopwatch.GetTimestamp();
            verdict = await validator.ValidateAsync(certificate, connection.PresentedIntermediates, now, cancellationToken).ConfigureAwait(false);
            metrics.ValidationCompleted(verdict, Stopwatch.GetElapsedTime(started));
            Describe(span, verdict);
            cache.Store(key, verdict);
        }

        connection.Verdict = verdict;
        return verdict;
    }

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
