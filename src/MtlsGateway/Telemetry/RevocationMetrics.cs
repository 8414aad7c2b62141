using System.Diagnostics.Metrics;
using MtlsGateway.Revocation;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Fetching;

namespace MtlsGateway.Telemetry;

/// <summary>Revocation instruments on the gateway's <c>MtlsGateway</c> meter.</summary>
public sealed class RevocationMetrics
{
    private readonly Meter meter;
    private readonly TimeProvider timeProvider;
    private readonly Counter<long> checks;
    private readonly Histogram<double> fetchDuration;

    public RevocationMetrics(IMeterFactory meterFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        meter = meterFactory.Create(GatewayMetrics.MeterName);
        this.timeProvider = timeProvider;
        checks = meter.CreateCounter<long>("mtlsgateway.revocation.checks", "{answer}", "Revocation answers by source and result (good, revoked, unknown)");
        fetchDuration = meter.CreateHistogram<double>("mtlsgateway.revocation.fetch.duration", "s", "CRL downloads and OCSP requests, by kind and outcome");
    }

    public void CheckAnswered(RevocationStatus status) => checks.Add(
        1,
        new KeyValuePair<string, object?>("source", status.Source),
        new KeyValuePair<string, object?>("result", status.State.ToString().ToLowerInvariant()));

    public void FetchCompleted(FetchCompleted fetch)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        fetchDuration.Record(
            fetch.Duration.TotalSeconds,
            new KeyValuePair<string, object?>("kind", fetch.Kind.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("outcome", fetch.Outcome.ToString().ToLowerInvariant()));
    }

    /// <summary>Seconds until each known CRL's nextUpdate (negative once stale), for freshness dashboards and alerts.</summary>
    public void Observe(RevocationSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        meter.CreateObservableGauge(
            "mtlsgateway.revocation.crl.next_update",
            () => CrlMeasurements(sources),
            "s",
            "Seconds until the CRL's nextUpdate");
    }

    private IEnumerable<Measurement<double>> CrlMeasurements(RevocationSources sources)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var crl in sources.CrlFiles?.Summaries() ?? [])
        {
            if (crl.NextUpdate is { } next)
            {
                yield return new Measurement<double>((next - now).TotalSeconds, new KeyValuePair<string, object?>("issuer", crl.Issuer), new KeyValuePair<string, object?>("source", "crl-file"));
            }
        }

        foreach (var crl in sources.DownloadedCrls?.Snapshot() ?? [])
        {
            yield return new Measurement<double>((crl.NextUpdate - now).TotalSeconds, new KeyValuePair<string, object?>("url", crl.Url.AbsoluteUri), new KeyValuePair<string, object?>("source", "crl-fetch"));
        }
    }
}
