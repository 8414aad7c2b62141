using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MtlsGateway.IntegrationTests.Telemetry;

/// <summary>One data point of a metric as exported: its tags and its value (sum, gauge or histogram count).</summary>
internal sealed record CapturedPoint(IReadOnlyDictionary<string, object?> Tags, double Value, long HistogramCount);

/// <summary>A metric as the SDK exported it, copied out of the SDK's reused objects.</summary>
internal sealed record CapturedMetric(string Name, string Unit, MetricType Type, string MeterName, IReadOnlyList<CapturedPoint> Points);

/// <summary>A log record as exported through the OpenTelemetry logging provider.</summary>
internal sealed record CapturedLog(string Category, string? Message, Exception? Exception);

/// <summary>
/// Joins the gateway's OpenTelemetry providers (<c>services.AddOpenTelemetry()</c>, as any extension would) with
/// in-process exporters, so tests see exactly what an OTLP exporter would be handed.
/// </summary>
internal sealed class TelemetryCapture
{
    private readonly ConcurrentDictionary<string, CapturedMetric> metrics = new();
    private readonly BaseExportingMetricReader reader;

    public TelemetryCapture() => reader = new BaseExportingMetricReader(new MetricExporter(this)) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public ConcurrentQueue<CapturedLog> Logs { get; } = new();

    public IReadOnlyCollection<CapturedMetric> Metrics => [.. metrics.Values];

    public CapturedMetric Metric(string name) =>
        metrics.TryGetValue(name, out var metric) ? metric : throw new Xunit.Sdk.XunitException($"metric {name} was not exported; exported: {string.Join(", ", metrics.Keys.Order())}");

    public void AddTo(IServiceCollection services) => services.AddOpenTelemetry()
        .WithMetrics(meters => meters.AddReader(reader))
        .WithTracing(tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(new SpanExporter(Spans))))
        .WithLogging(logging => logging.AddProcessor(new SimpleLogRecordExportProcessor(new LogExporter(Logs))));

    /// <summary>Has this capture's reader collect now (the provider's other readers keep their own pace).</summary>
    public bool CollectMetrics() => reader.Collect(5000);

    private void Store(Metric metric)
    {
        var points = new List<CapturedPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            var (value, count) = metric.MetricType switch
            {
                MetricType.LongSum or MetricType.LongSumNonMonotonic => (point.GetSumLong(), 0L),
                MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => (point.GetSumDouble(), 0L),
                MetricType.LongGauge => (point.GetGaugeLastValueLong(), 0L),
                MetricType.DoubleGauge => (point.GetGaugeLastValueDouble(), 0L),
                MetricType.Histogram or MetricType.ExponentialHistogram => (point.GetHistogramSum(), point.GetHistogramCount()),
                _ => (double.NaN, 0L),
            };
            points.Add(new CapturedPoint(tags, value, count));
        }

        metrics[metric.Name] = new CapturedMetric(metric.Name, metric.Unit, metric.MetricType, metric.MeterName, points);
    }

    private sealed class MetricExporter(TelemetryCapture capture) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                capture.Store(metric);
            }

            return ExportResult.Success;
        }
    }

    private sealed class SpanExporter(ConcurrentQueue<Activity> spans) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch)
            {
                spans.Enqueue(activity);
            }

            return ExportResult.Success;
        }
    }

    private sealed class LogExporter(ConcurrentQueue<CapturedLog> logs) : BaseExporter<LogRecord>
    {
        public override ExportResult Export(in Batch<LogRecord> batch)
        {
            foreach (var record in batch)
            {
                logs.Enqueue(new CapturedLog(record.CategoryName ?? string.Empty, record.FormattedMessage ?? record.Body, record.Exception));
            }

            return ExportResult.Success;
        }
    }
}
