using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MtlsGateway.Hosting;
using MtlsGateway.Telemetry;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Pki;
using Yarp.ReverseProxy.Configuration;

namespace MtlsGateway.Benchmarks.Hosting;

/// <summary>
/// What one request through the host costs, above all what it allocates, with the TLS handshake and the socket left
/// out: the request enters through ASP.NET Core's hosting layer (TestServer, so hosting metrics and the middleware run
/// as under Kestrel) carrying a client certificate, and YARP forwards it to a real loopback upstream answering "ok".
/// The floor is YARP alone, as in tests/load/Floor (logging as compare.sh runs it); the gateway is the real application with the load comparison's
/// settings (Revocation Off, the shipped logging levels), once without and once with a route policy. The difference in
/// allocated bytes per operation is what the gateway adds to every keep-alive request.
/// </summary>
[MemoryDiagnoser]
public class RequestPipelineBenchmarks
{
    private TestCa root = null!;
    private X509Certificate2 client = null!;
    private TestUpstream upstream = null!;
    private string contentRoot = null!;
    private WebApplication floor = null!;
    private WebApplication gateway = null!;
    private WebApplication gatewayWithPolicy = null!;

    [GlobalSetup]
    public void Setup()
    {
        root = TestCa.CreateRoot("CN=Pipeline Bench Root");
        client = root.Issue("CN=bench-client, O=Bench");
        using var server = root.Issue("CN=localhost", profile => profile.LoopbackServer());
        upstream = TestUpstream.Start(options => options.Handler = context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = 2;
            return context.Response.WriteAsync("ok");
        });

        contentRoot = Directory.CreateTempSubdirectory("mtlsgateway-bench-").FullName;
        File.WriteAllText(Path.Combine(contentRoot, "ca.crt"), root.Certificate.ExportCertificatePem());
        PemFiles.WriteCertificate(Path.Combine(contentRoot, "server.crt"), server);
        PemFiles.WritePrivateKey(Path.Combine(contentRoot, "server.key"), server);

        floor = Floor(upstream.Address);
        gateway = Gateway(contentRoot, upstream.Address, withPolicy: false);
        gatewayWithPolicy = Gateway(contentRoot, upstream.Address, withPolicy: true);
        // What Kestrel's certificate callback does in the handshake of the one keep-alive connection measured.
        foreach (var app in new[] { gateway, gatewayWithPolicy })
        {
            app.Services.GetRequiredService<MtlsGateway.ClientCertificates.ClientConnectionRegistry>().RecordHandshake(client, [], resumed: false);
        }

        foreach (var app in new[] { floor, gateway, gatewayWithPolicy })
        {
            app.StartAsync().GetAwaiter().GetResult();
            var status = SendAsync(app).GetAwaiter().GetResult();
            if (status != StatusCodes.Status200OK)
            {
                throw new InvalidOperationException($"the benchmark request was answered {status}, not 200");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var app in new[] { floor, gateway, gatewayWithPolicy })
        {
            app.StopAsync().GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        upstream.Dispose();
        client.Dispose();
        root.Dispose();
        Directory.Delete(contentRoot, recursive: true);
    }

    [Benchmark(Description = "floor: YARP alone", Baseline = true)]
    public Task<int> FloorRequest() => SendAsync(floor);

    [Benchmark(Description = "gateway, no route policy")]
    public Task<int> GatewayRequest() => SendAsync(gateway);

    [Benchmark(Description = "gateway, route policy admitting the client")]
    public Task<int> GatewayRequestWithPolicy() => SendAsync(gatewayWithPolicy);

    private async Task<int> SendAsync(WebApplication app)
    {
        // The same certificate object on every request, as Kestrel hands one per connection: a keep-alive connection.
        var context = await app.GetTestServer().SendAsync(request =>
        {
            request.Request.Method = HttpMethods.Get;
            request.Request.Scheme = "https";
            request.Request.Host = new HostString("localhost");
            request.Request.Path = "/";
            // As Kestrel sets it: the gateway screens the request target as the client sent it.
            request.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget = "/";
            request.Connection.ClientCertificate = client;
        });
        return context.Response.StatusCode;
    }

    private static WebApplication Floor(Uri upstream)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = [] });
        builder.WebHost.UseTestServer();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // As tests/load/compare.sh runs the floor: without the per-request hosting diagnostics, as the gateway runs.
        builder.Logging.AddFilter(GatewayLoggingExtensions.HostingDiagnosticsCategory, LogLevel.None);
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "{**catch-all}" } }],
            [new ClusterConfig { ClusterId = "upstream", Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal) { ["upstream"] = new() { Address = upstream.ToString() } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        return app;
    }

    private static WebApplication Gateway(string contentRoot, Uri upstream, bool withPolicy)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Yarp"] = "Warning",
            ["Kestrel:Endpoints:Gateway:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Gateway:Certificate:Path"] = "server.crt",
            ["Kestrel:Endpoints:Gateway:Certificate:KeyPath"] = "server.key",
            ["Gateway:Admin:Url"] = "http://127.0.0.1:0",
            ["Gateway:ClientCertificates:TrustedCaFiles:0"] = "ca.crt",
            ["Gateway:ClientCertificates:Revocation:Mode"] = "Off",
            ["Gateway:ClientCertificates:Revocation:FetchCrls"] = "false",
            ["Gateway:ClientCertificates:Revocation:Ocsp"] = "false",
            ["ReverseProxy:Routes:all:ClusterId"] = "upstream",
            ["ReverseProxy:Routes:all:Match:Path"] = "{**catch-all}",
            ["ReverseProxy:Clusters:upstream:Destinations:upstream:Address"] = upstream.ToString(),
        };
        if (withPolicy)
        {
            settings["Gateway:Authorization:Policies:bench:Allow:0:CommonNames:0"] = "bench-client";
            settings["ReverseProxy:Routes:all:AuthorizationPolicy"] = "bench";
        }

        return GatewayApplication.BuildAsync(
            ["--contentRoot", contentRoot, "--environment", "Production"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.WebHost.UseTestServer();
            }).GetAwaiter().GetResult();
    }
}
