using System.Net;
using MtlsGateway.IntegrationTests.Harness;
using OpenTelemetry.Metrics;

namespace MtlsGateway.IntegrationTests.Telemetry;

/// <summary>
/// The metric names and label names Prometheus sees, derived from a real gateway run (accepted, refused, authorized and
/// forbidden requests) and mapped the way the OpenTelemetry Collector's Prometheus exporter maps them.
/// </summary>
public sealed class ExportedMetricNames : IAsyncLifetime
{
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Labels { get; } = new(StringComparer.Ordinal);

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
            Names.UnionWith(PrometheusNaming.SeriesNames(metric.Name, metric.Unit, metric.Type));
            foreach (var point in metric.Points)
            {
                Labels.UnionWith(point.Tags.Keys.Select(PrometheusNaming.LabelName));
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
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
