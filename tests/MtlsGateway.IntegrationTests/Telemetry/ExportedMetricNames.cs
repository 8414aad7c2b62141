using System.Net;
using System.Text.RegularExpressions;
using MtlsGateway.IntegrationTests.Harness;
using OpenTelemetry.Metrics;

namespace MtlsGateway.IntegrationTests.Telemetry;

/// <summary>
/// The metric and label names Prometheus sees from a real gateway run (accepted, refused, authorized and forbidden
/// requests), by both paths an operator can choose: through the OpenTelemetry Collector (OTLP in, its Prometheus
/// exporter out; derived from what the SDK exports, mapped as the collector maps it) and scraped straight from the
/// gateway's own <c>/metrics</c> on the admin listener.
/// </summary>
public sealed partial class ExportedMetricNames : IAsyncLifetime
{
    /// <summary>OTLP to the OpenTelemetry Collector, scraped from its Prometheus exporter (the demo stack).</summary>
    public PrometheusSeries ViaCollector { get; } = new("via the collector");

    /// <summary>Prometheus scraping the admin listener's <c>/metrics</c>.</summary>
    public PrometheusSeries ViaScrape { get; } = new("scraped from /metrics");

    public IReadOnlyList<PrometheusSeries> Paths => [ViaCollector, ViaScrape];

    public async Task InitializeAsync()
    {
        using var pki = new TestPki();
        using var stranger = new TestPki("Stranger");
        await using var gateway = await ObservedGateway.StartAsync(pki, new Dictionary<string, string?>
        {
            ["Gateway:Authorization:Policies:partners:Allow:0:CommonNames:0"] = "partner-app",
            ["ReverseProxy:Routes:partners:ClusterId"] = "upstream",
            ["ReverseProxy:Routes:partners:Match:Path"] = "/partners/{**rest}",
            ["ReverseProxy:Routes:partners:AuthorizationPolicy"] = "partners",
        });
        Assert.Equal(HttpStatusCode.OK, await gateway.GetAsync(pki.Client("partner-app"), "/partners/1"));
        Assert.Equal(HttpStatusCode.Forbidden, await gateway.GetAsync(pki.Client("someone-else"), "/partners/1"));
        Assert.Equal(HttpStatusCode.Forbidden, await gateway.GetAsync(stranger.Client("stranger"), "/"));
        await gateway.FlushUntilAsync(telemetry => ObservedGateway.GatewayRequestsRecorded(telemetry) == 3);

        foreach (var metric in gateway.Telemetry.Metrics)
        {
            ViaCollector.Names.UnionWith(PrometheusNaming.SeriesNames(metric.Name, metric.Unit, metric.Type));
            foreach (var point in metric.Points)
            {
                ViaCollector.Labels.UnionWith(point.Tags.Keys.Select(PrometheusNaming.LabelName));
            }
        }

        ViaScrape.Exposition = await gateway.ScrapeAsync();
        foreach (var sample in ViaScrape.Exposition.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')))
        {
            var match = Sample().Match(sample);
            Assert.True(match.Success, "not a Prometheus sample line: " + sample);
            ViaScrape.Names.Add(match.Groups["name"].Value);
            ViaScrape.Labels.UnionWith(LabelName().Matches(match.Groups["labels"].Value).Select(label => label.Groups["label"].Value));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [GeneratedRegex(@"^(?<name>[A-Za-z_:][A-Za-z0-9_:]*)(\{(?<labels>.*)\})?\s+\S+(\s+\S+)?$")]
    private static partial Regex Sample();

    [GeneratedRegex(@"(?<label>[A-Za-z_][A-Za-z0-9_]*)=""(?:[^""\\]|\\.)*""")]
    private static partial Regex LabelName();
}

/// <summary>The series and label names one path delivers to Prometheus.</summary>
public sealed class PrometheusSeries(string path)
{
    public string Path { get; } = path;

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary>The scraped text, when the path is a scrape (for failure messages).</summary>
    public string? Exposition { get; set; }

    public override string ToString() => Path;
}

/// <summary>
/// The OpenTelemetry Collector's Prometheus naming (exporter <c>prometheus</c>, <c>add_metric_suffixes: true</c>):
/// the name split on anything not a letter or digit and joined with underscores, the unit appended (<c>s</c> as
/// <c>seconds</c>, <c>By</c> as <c>bytes</c>, annotations in braces dropped), <c>_total</c> for monotonic sums, and
/// <c>_bucket</c>/<c>_sum</c>/<c>_count</c> series for histograms.
/// </summary>
public static class PrometheusNaming
{
    public static IEnumerable<string> SeriesNames(string name, string? unit, MetricType type)
    {
        var tokens = name.Split(static c => !char.IsAsciiLetterOrDigit(c)).ToList();
        if (UnitToken(unit, type) is { } unitToken && !tokens.Contains(unitToken))
        {
            tokens.Add(unitToken);
        }

        if (type is MetricType.LongSum or MetricType.DoubleSum)
        {
            tokens.Remove("total");
            tokens.Add("total");
        }

        var baseName = string.Join('_', tokens);
        return type is MetricType.Histogram or MetricType.ExponentialHistogram
            ? [baseName + "_bucket", baseName + "_sum", baseName + "_count"]
            : [baseName];
    }

    public static string LabelName(string tag) => new([.. tag.Select(static c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);

    private static string? UnitToken(string? unit, MetricType type) => unit switch
    {
        null or "" => null,
        _ when unit.StartsWith('{') => null,
        "1" => type is MetricType.LongGauge or MetricType.DoubleGauge ? "ratio" : null,
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        _ => unit.ToLowerInvariant(),
    };

    private static string[] Split(this string value, Func<char, bool> isSeparator)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var c in value)
        {
            if (isSeparator(c))
            {
                if (current.Length > 0)
                {
                    parts.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            parts.Add(current.ToString());
        }

        return [.. parts];
    }
}
