using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.DevelopmentMode;
using MtlsGateway.Hosting;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MtlsGateway.IntegrationTests.Observability;

/// <summary>
/// The real gateway (same content root and settings as <see cref="TestGateway"/>) with a <see cref="TelemetryCapture"/>
/// joined to its OpenTelemetry pipeline.
/// </summary>
internal sealed class ObservedGateway : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly EchoUpstream upstream;
    private readonly string contentRoot;
    private readonly string serverThumbprint;

    private ObservedGateway(WebApplication app, EchoUpstream upstream, string contentRoot, Uri address, TelemetryCapture telemetry, string serverThumbprint)
    {
        this.app = app;
        this.upstream = upstream;
        this.contentRoot = contentRoot;
        this.serverThumbprint = serverThumbprint;
        Address = address;
        Telemetry = telemetry;
    }

    public Uri Address { get; }

    public TelemetryCapture Telemetry { get; }

    public static async Task<ObservedGateway> StartAsync(TestPki pki, IDictionary<string, string?>? settings = null)
    {
        var contentRoot = TestGateway.WriteContentRoot(pki);
        var upstream = await EchoUpstream.StartAsync();
        var configuration = TestGateway.BaseSettings(upstream.Address);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var telemetry = new TelemetryCapture();
        var app = await GatewayApplication.BuildAsync(
            ["--contentRoot", contentRoot, "--environment", "Production"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(configuration);
                builder.Services.AddSingleton<ITelemetryPipelineContributor>(telemetry);
            });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ObservedGateway(app, upstream, contentRoot, new Uri(address), telemetry, pki.Server.GetCertHashString());
    }

    /// <summary>Makes the SDK export now what it has collected (metrics are otherwise exported once a minute).</summary>
    public void Flush()
    {
        var sdk = app.Services.GetRequiredService<OpenTelemetrySdk>();
        Assert.True(sdk.TracerProvider.ForceFlush(5000));
        Assert.True(sdk.MeterProvider.ForceFlush(5000));
    }

    /// <summary>
    /// Flushes until <paramref name="settled"/> holds: ASP.NET Core ends a request's span and records its duration after
    /// the response has reached the client, so a test that just got its answer may be a moment ahead of them.
    /// </summary>
    public async Task FlushUntilAsync(Func<TelemetryCapture, bool> settled)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            Flush();
            if (settled(Telemetry))
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the gateway's telemetry did not settle within 10 s");
            await Task.Delay(50);
        }
    }

    /// <summary>Requests the gateway itself served (not its upstream) that ASP.NET Core has finished recording.</summary>
    public static long GatewayRequestsRecorded(TelemetryCapture telemetry) =>
        telemetry.Metrics.Where(metric => metric.Name == "http.server.request.duration")
            .SelectMany(metric => metric.Points)
            .Where(point => point.Tags.ContainsKey(global::MtlsGateway.Telemetry.ServerSpanNaming.RouteIdTag))
            .Sum(point => point.HistogramCount);

    public async Task<HttpStatusCode> GetAsync(X509Certificate2 certificate, string path = "/")
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == serverThumbprint,
                ClientCertificateContext = SslStreamCertificateContext.Create(certificate, null, offline: true),
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = Address };
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await upstream.DisposeAsync();
        try
        {
            Directory.Delete(contentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A watcher may still hold the folder for a moment.
        }
    }
}
