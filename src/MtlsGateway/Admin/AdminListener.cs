using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace MtlsGateway.Admin;

/// <summary>
/// The admin listener: a second, small web application on its own port (never on the mTLS endpoints) answering
/// <c>/healthz/live</c>, <c>/healthz/ready</c> and <c>/status</c> from the gateway's contributors, and <c>/metrics</c>
/// (Prometheus text format) from the gateway's meter provider, for operators who scrape without a collector.
/// </summary>
public sealed class AdminListener(
    IOptions<AdminOptions> options,
    IEnumerable<IReadinessContributor> readiness,
    IEnumerable<IStatusContributor> status,
    MeterProvider meterProvider,
    TimeProvider timeProvider) : IAsyncDisposable
{
    public const string MetricsPath = "/metrics";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly IReadOnlyList<IReadinessContributor> readiness = [.. readiness];
    private readonly IReadOnlyList<IStatusContributor> status = [.. status];
    private WebApplication? app;

    /// <summary>Where the listener answers, once started (the real port when the setting asked for port 0).</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = [] });
        // The gateway's settings (Kestrel endpoints with client certificates, routes) must not reach this listener.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Value.ListenUrl);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        var admin = builder.Build();
        admin.Use(UnobservedAsync);
        admin.MapGet("/healthz/live", () => Results.Text("live\n"));
        admin.MapGet("/healthz/ready", Ready);
        admin.MapGet("/status", () => Results.Json(Status(), Json));
        admin.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider, configureBranchedPipeline: null, optionsName: null);
        try
        {
            await admin.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await admin.DisposeAsync().ConfigureAwait(false);
            throw BindFailure(options.Value.ListenUrl, e);
        }

        app = admin;
        Address = new Uri(admin.Urls.First());
    }

    /// <summary>
    /// Kestrel's own message names "Kestrel:Endpoints", which is not where this address comes from: name the setting,
    /// and when the address is the default one, say so (the operator may not know it was chosen for them).
    /// </summary>
    private static Hosting.GatewayConfigurationException BindFailure(string url, IOException e)
    {
        var inUse = e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
        var what = inUse ? "the port is already in use by another program" : "cannot listen there (" + (e.InnerException ?? e).Message.TrimEnd('.') + ")";
        var isDefault = string.Equals(url, AdminOptions.DefaultUrl, StringComparison.OrdinalIgnoreCase);
        var hint = isDefault
            ? $"this is the default admin address; set Gateway:Admin:Url to a free http://host:port, or Gateway:Admin:Enabled to false"
            : "set Gateway:Admin:Url to a free http://host:port, or Gateway:Admin:Enabled to false";
        return new Hosting.GatewayConfigurationException(AdminOptions.SectionName + ":Url", $"'{url}': {what}; {hint}", e);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            app = null;
        }
    }

    /// <summary>
    /// Probes arrive every few seconds: neither their spans nor their request metrics are exported, so dashboards and
    /// traces show client traffic only (the ASP.NET Core sources are process-wide and would catch this listener too).
    /// </summary>
    private static Task UnobservedAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { } activity)
        {
            activity.IsAllDataRequested = false;
            activity.ActivityTraceFlags &= ~System.Diagnostics.ActivityTraceFlags.Recorded;
        }

        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
        {
            metrics.MetricsDisabled = true;
        }

        return next(context);
    }

    private IResult Ready()
    {
        var checks = readiness.Select(contributor => (contributor.Name, Result: Check(contributor))).ToList();
        var ready = checks.TrueForAll(check => check.Result.Ready);
        var body = new
        {
            status = ready ? "ready" : "not_ready",
            checks = checks.Select(check => new { name = check.Name, ready = check.Result.Ready, detail = check.Result.Detail }),
        };
        return Results.Json(body, Json, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static ReadinessResult Check(IReadinessContributor contributor)
    {
        try
        {
            return contributor.Check();
        }
#pragma warning disable CA1031 // A failing check means "not ready" (fail closed), never a failed probe endpoint.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ReadinessResult.Unusable("check failed: " + e.GetType().Name);
        }
    }

    /// <summary>One section that cannot be described says so; the rest of /status still answers.</summary>
    private static JsonNode? Describe(IStatusContributor contributor)
    {
        try
        {
            return JsonSerializer.SerializeToNode(contributor.Describe(), Json);
        }
#pragma warning disable CA1031 // /status is for operators in trouble: it must answer whatever one section meets.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new JsonObject { ["error"] = "cannot be described: " + e.GetType().Name };
        }
    }

    private JsonObject Status()
    {
        var document = new JsonObject { ["generatedAt"] = timeProvider.GetUtcNow() };
        foreach (var contributor in status)
        {
            document[contributor.Section] = Describe(contributor);
        }

        return document;
    }
}
