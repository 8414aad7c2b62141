namespace MtlsGateway.Admin;

/// <summary>Settings under <c>Gateway:Admin</c>: whether and where the plain-HTTP admin listener (health, status, metrics) listens.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Gateway:Admin";

    /// <summary>
    /// 9090 (Prometheus), 9091/9093 (Pushgateway, Alertmanager), 9100 (node exporter), 9901 (Envoy's admin), 8080/8081,
    /// 3000 (Grafana), 4317/4318/8888 (OpenTelemetry Collector) are taken by tools that run beside a gateway; 8442 sits
    /// next to the mTLS port 8443 and is none of theirs.
    /// </summary>
    public const int DefaultPort = 8442;

    public const string DefaultUrl = "http://127.0.0.1:8442";

    /// <summary>False turns the admin listener off: no health, status or metrics endpoint (probes then need another way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>http://host:port</c>; port 0 picks a free port.</summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>The URL as Kestrel takes it: trimmed, without a trailing slash.</summary>
    public string ListenUrl => Url.Trim().TrimEnd('/');
}
