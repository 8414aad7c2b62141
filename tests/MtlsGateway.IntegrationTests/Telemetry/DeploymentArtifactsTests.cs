using System.Text.Json;
using System.Text.RegularExpressions;
using MtlsGateway.TestSupport.Processes;
using YamlDotNet.RepresentationModel;

namespace MtlsGateway.IntegrationTests.Telemetry;

/// <summary>
/// What can be checked of the deployment files without a container engine: they parse, Prometheus accepts its
/// configuration and rules, the dashboard parses, and every metric and label the dashboard and the alerts query is one
/// the gateway really exports (see <see cref="ExportedMetricNames"/>).
/// </summary>
[Collection(ProcessWideTelemetry.Name)]
public sealed partial class DeploymentArtifactsTests(ExportedMetricNames exported) : IClassFixture<ExportedMetricNames>
{
    /// <summary>
    /// Metrics the dashboard and alerts already query but the test run does not produce:
    /// - revocation fetch durations: the run's clients carry no distribution point or OCSP address, so nothing is fetched
    ///   (RevocationMetrics.FetchCompleted, covered by the revocation tests);
    /// - token signing: reported only when a PKCS#11 outbound identity is configured, which this run has none of
    ///   (TokenSigningCanary; covered by the outbound identity tests against SoftHSM2).
    /// Each entry must leave this list as soon as the gateway exports it (a test below enforces that).
    /// </summary>
    private static readonly string[] PlannedMetrics =
    [
        "mtlsgateway_revocation_fetch_duration_seconds_bucket",
        "mtlsgateway_token_signing_duration_seconds_bucket",
        "mtlsgateway_token_signing_failures_total",
    ];

    /// <summary>Labels of the planned metrics above, and <c>url</c> of downloaded CRLs' freshness gauge.</summary>
    private static readonly string[] PlannedLabels = ["kind", "outcome", "identity", "url"];

    /// <summary>Series and labels Prometheus and the collector add themselves.</summary>
    private static readonly string[] InfrastructureMetrics = ["target_info", "up"];

    private static readonly string[] InfrastructureLabels = ["job", "instance", "le"];

    private static readonly string[] PromQlKeywords = ["and", "or", "unless", "bool", "offset", "inf", "nan", "by", "without", "on", "ignoring", "group_left", "group_right"];

    private static string Root { get; } = FindRepositoryRoot();

    public static TheoryData<string> YamlFiles()
    {
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "deploy"), "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".yml", StringComparison.Ordinal) || file.EndsWith(".yaml", StringComparison.Ordinal))
            .Append(Path.Combine(Root, "docker-compose.yml"))
            .Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetRelativePath(Root, file));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Every_YAML_file_parses_into_a_mapping(string file)
    {
        var documents = LoadYaml(file);
        Assert.NotEmpty(documents);
        Assert.All(documents, document => Assert.IsType<YamlMappingNode>(document.RootNode));
    }

    [Fact]
    public void The_JSON_files_parse_and_the_dashboard_queries_the_provisioned_data_source()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "deploy"), "*.json", SearchOption.AllDirectories))
        {
            using var _ = JsonDocument.Parse(File.ReadAllText(file));
        }

        var datasources = LoadYaml("deploy/grafana/provisioning/datasources/datasources.yaml")[0].RootNode["datasources"];
        var uids = ((YamlSequenceNode)datasources).Select(source => ((YamlScalarNode)source["uid"]).Value).ToHashSet();
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "deploy/grafana/dashboards/mtlsgateway.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.True(panels.Count >= 8, "the dashboard has its panels");
        Assert.All(panels, panel => Assert.Contains(panel.GetProperty("datasource").GetProperty("uid").GetString(), uids));
    }

    [Fact]
    public async Task Promtool_accepts_the_Prometheus_configuration_and_the_alert_rules()
    {
        // prometheus.yml scrapes the collector; prometheus-direct.yml scrapes the gateways' own /metrics.
        foreach (var file in new[] { "deploy/prometheus/prometheus.yml", "deploy/prometheus/prometheus-direct.yml" })
        {
            var config = await RunAsync("promtool", "check", "config", Path.Combine(Root, file));
            Assert.True(config.ExitCode == 0, config.Output);
        }

        var direct = (YamlMappingNode)LoadYaml("deploy/prometheus/prometheus-direct.yml")[0].RootNode;
        var job = (YamlMappingNode)((YamlSequenceNode)direct["scrape_configs"])[0];
        Assert.Equal("mtlsgateway", ((YamlScalarNode)job["job_name"]).Value);
        Assert.Equal(global::MtlsGateway.Admin.AdminListener.MetricsPath, ((YamlScalarNode)job["metrics_path"]).Value);
        var rules = await RunAsync("promtool", "check", "rules", Path.Combine(Root, "deploy/prometheus/alerts.yml"));
        Assert.True(rules.ExitCode == 0, rules.Output);
        Assert.Contains("SUCCESS: 6 rules found", rules.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_alerts_fire_on_the_series_their_unit_tests_feed_them()
    {
        // alerts.test.yml: expiry within 14 days, gateway down, stale CRL, refusal spike, token failures (and their negatives).
        var tests = await RunAsync("promtool", "test", "rules", Path.Combine(Root, "deploy/prometheus/alerts.test.yml"));
        Assert.True(tests.ExitCode == 0, tests.Output);
        Assert.Contains("SUCCESS", tests.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_alerts_cover_expiry_CRL_staleness_refusal_spikes_tokens_and_a_gateway_down()
    {
        var expressions = AlertExpressions();
        Assert.Contains(expressions, expr => expr.Contains("mtlsgateway_certificate_time_until_expiry_seconds", StringComparison.Ordinal) && expr.Contains("14 * 86400", StringComparison.Ordinal));
        Assert.Contains(expressions, expr => expr.Contains("mtlsgateway_revocation_crl_next_update_seconds", StringComparison.Ordinal));
        Assert.Contains(expressions, expr => expr.Contains("mtlsgateway_requests_refused_total", StringComparison.Ordinal));
        Assert.Contains(expressions, expr => expr.Contains("mtlsgateway_token_signing_failures_total", StringComparison.Ordinal));
        Assert.Contains(expressions, expr => expr.Contains("absent(target_info{job=\"mtlsgateway\"})", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_metric_the_dashboard_and_the_alerts_query_is_exported_or_explicitly_planned_by_both_paths()
    {
        var queried = DashboardExpressions().Concat(AlertExpressions()).SelectMany(MetricNamesIn).Distinct().Order().ToList();
        Assert.NotEmpty(queried);
        Assert.All(exported.Paths, path =>
        {
            var known = path.Names.Concat(PlannedMetrics).Concat(InfrastructureMetrics).ToHashSet(StringComparer.Ordinal);
            var unknown = queried.Where(name => !known.Contains(name)).ToList();
            Assert.True(unknown.Count == 0, $"{path}: queried but neither exported nor planned: " + string.Join(", ", unknown) + "; exported: " + string.Join(", ", path.Names.Order()));

            // The run really exported the names the core panels need (guards against an empty run hiding a mismatch).
            Assert.Contains("http_server_request_duration_seconds_bucket", path.Names);
            Assert.Contains("mtlsgateway_requests_refused_total", path.Names);
            Assert.Contains("mtlsgateway_client_certificate_validation_duration_seconds_bucket", path.Names);
            Assert.Contains("mtlsgateway_certificate_time_until_expiry_seconds", path.Names);
            Assert.Contains("mtlsgateway_revocation_checks_total", path.Names);
            Assert.Contains("mtlsgateway_revocation_crl_next_update_seconds", path.Names);
        });
    }

    [Fact]
    public void Every_label_the_dashboard_and_the_alerts_use_is_exported_or_explicitly_planned_by_both_paths()
    {
        var used = DashboardExpressions().Concat(AlertExpressions()).SelectMany(LabelNamesIn).Distinct().Order().ToList();
        Assert.Contains("mtlsgateway_route", used);
        Assert.All(exported.Paths, path =>
        {
            var known = path.Labels.Concat(PlannedLabels).Concat(InfrastructureLabels).ToHashSet(StringComparer.Ordinal);
            var unknown = used.Where(label => !known.Contains(label)).ToList();
            Assert.True(unknown.Count == 0, $"{path}: labels neither exported nor planned: " + string.Join(", ", unknown) + "; exported: " + string.Join(", ", path.Labels.Order()));
        });
    }

    [Fact]
    public void The_gateways_own_metrics_endpoint_names_every_series_as_the_collector_does()
    {
        // Same units (_seconds), same _total on counters, same histogram series: a dashboard or alert written for one
        // path works unchanged on the other.
        var gatewaySeries = exported.ViaCollector.Names.Where(name => name.StartsWith("mtlsgateway_", StringComparison.Ordinal) || name.StartsWith("http_server_", StringComparison.Ordinal) || name.StartsWith("kestrel_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(gatewaySeries);
        var missing = gatewaySeries.Where(name => !exported.ViaScrape.Names.Contains(name)).ToList();
        Assert.True(missing.Count == 0, "in the collector's naming but not on /metrics: " + string.Join(", ", missing) + "\n" + exported.ViaScrape.Exposition);

        // target_info carries the resource, as the collector's does, so the "gateway down" alert works on a direct scrape.
        Assert.Contains("target_info", exported.ViaScrape.Names);
        Assert.Contains("service_name", exported.ViaScrape.Labels);
    }

    [Fact]
    public void A_planned_metric_leaves_the_planned_list_once_the_gateway_exports_it()
    {
        var nowExported = PlannedMetrics.Where(planned => exported.Paths.Any(path => path.Names.Contains(planned))).ToList();
        Assert.True(nowExported.Count == 0, "exported now, remove from PlannedMetrics: " + string.Join(", ", nowExported));
        Assert.All(PlannedMetrics, planned => Assert.Contains(DashboardExpressions().Concat(AlertExpressions()), expr => MetricNamesIn(expr).Contains(planned)));
    }

    [Fact]
    public void The_kustomization_and_compose_file_refer_only_to_files_that_exist()
    {
        var kustomization = (YamlMappingNode)LoadYaml("deploy/kubernetes/kustomization.yaml")[0].RootNode;
        var referenced = ((YamlSequenceNode)kustomization["resources"]).Select(node => ((YamlScalarNode)node).Value!)
            .Concat(((YamlSequenceNode)kustomization["configMapGenerator"]).SelectMany(generator => ((YamlSequenceNode)generator["files"]).Select(node => ((YamlScalarNode)node).Value!)));
        Assert.All(referenced, file => Assert.True(File.Exists(Path.Combine(Root, "deploy/kubernetes", file)), file));

        var compose = (YamlMappingNode)LoadYaml("docker-compose.yml")[0].RootNode;
        var services = (YamlMappingNode)compose["services"];
        Assert.Superset(new HashSet<string> { "gateway", "upstream", "otel-collector", "prometheus", "grafana", "pki", "crl", "ocsp", "softhsm" }, services.Children.Keys.Select(key => ((YamlScalarNode)key).Value!).ToHashSet());
        var bindMounts = services.Children.Values.OfType<YamlMappingNode>()
            .Where(service => service.Children.ContainsKey("volumes"))
            .SelectMany(service => ((YamlSequenceNode)service["volumes"]).Select(volume => ((YamlScalarNode)volume).Value!.Split(':')[0]))
            .Where(source => source.StartsWith("./", StringComparison.Ordinal));
        Assert.All(bindMounts, source => Assert.True(File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), source));
    }

    private static List<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "deploy/grafana/dashboards/mtlsgateway.json")));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
    }

    private static List<string> AlertExpressions()
    {
        var rules = (YamlMappingNode)LoadYaml("deploy/prometheus/alerts.yml")[0].RootNode;
        return ((YamlSequenceNode)rules["groups"]).SelectMany(group => (YamlSequenceNode)group["rules"])
            .Select(rule => ((YamlScalarNode)rule["expr"]).Value!)
            .ToList();
    }

    /// <summary>Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations.</summary>
    private static HashSet<string> MetricNamesIn(string expression)
    {
        var bare = LabelMatchers().Replace(expression, " ");
        bare = Groupings().Replace(bare, " ");
        bare = Ranges().Replace(bare, " ");
        bare = Offsets().Replace(bare, " ");
        return [.. Identifiers().Matches(bare)
            .Where(match => !PromQlKeywords.Contains(match.Groups["name"].Value) && match.Groups["call"].Length == 0)
            .Select(match => match.Groups["name"].Value)];
    }

    private static IEnumerable<string> LabelNamesIn(string expression) =>
        LabelMatchers().Matches(expression).SelectMany(matchers => MatcherLabels().Matches(matchers.Value).Select(match => match.Groups["label"].Value))
            .Concat(Groupings().Matches(expression).SelectMany(grouping => grouping.Groups["labels"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));

    private static List<YamlDocument> LoadYaml(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Root, relativePath)));
        stream.Load(reader);
        return [.. stream.Documents];
    }

    private static Task<ProcessResult> RunAsync(string program, params string[] arguments) => ProcessRunner.RunAsync(program, arguments);

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MtlsGateway.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("MtlsGateway.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"(?<label>[A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)")]
    private static partial Regex MatcherLabels();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\((?<labels>[^)]*)\)")]
    private static partial Regex Groupings();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\boffset\s+\w+")]
    private static partial Regex Offsets();

    [GeneratedRegex(@"(?<![\w.$])(?<name>[A-Za-z_:][A-Za-z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifiers();
}
