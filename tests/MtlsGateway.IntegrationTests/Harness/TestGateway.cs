using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MtlsGateway.Hosting;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Logging;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>
/// The real gateway on real Kestrel, listening on a loopback port chosen by the OS, forwarding to a real loopback
/// upstream (<see cref="TestUpstream"/>'s echo, which answers with what it received).
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    /// <summary>In a setting's value, stands for the echo upstream's address (http://127.0.0.1:port/).</summary>
    public const string UpstreamPlaceholder = "{upstream}";

    private readonly WebApplication app;
    private readonly TestUpstream upstream;

    private readonly X509Certificate2 serverCertificate;

    private TestGateway(WebApplication app, TestUpstream upstream, string contentRoot, Uri address, CapturedLogs logs, X509Certificate2 serverCertificate)
    {
        this.serverCertificate = serverCertificate;
        this.app = app;
        this.upstream = upstream;
        ContentRoot = contentRoot;
        Address = address;
        Logs = logs;
    }

    public string ContentRoot { get; }

    public string TrustFolder => Path.Combine(ContentRoot, "trust");

    public Uri Address { get; }

    public string CrlFolder => Path.Combine(ContentRoot, "crl");

    public CapturedLogs Logs { get; }

    /// <summary>The echo upstream every base route forwards to (its request count tells what got through).</summary>
    public TestUpstream Upstream => upstream;

    public IServiceProvider Services => app.Services;

    /// <summary>Writes the server certificate and the trust folder into a fresh content root, then starts the gateway.</summary>
    /// <param name="appsettingsJson">Written as appsettings.json, which the gateway reloads on change (in-memory settings do not).</param>
    /// <param name="services">Registrations to add to the gateway's own (a telemetry capture, a test probe).</param>
    /// <param name="prepare">Writes further files into the content root before the gateway starts.</param>
    public static async Task<TestGateway> StartAsync(TestPki pki, IDictionary<string, string?>? settings = null, string? appsettingsJson = null, Action<IServiceCollection>? services = null, Action<string>? prepare = null)
    {
        var contentRoot = WriteContentRoot(pki);
        prepare?.Invoke(contentRoot);
        if (appsettingsJson is not null)
        {
            File.WriteAllText(Path.Combine(contentRoot, "appsettings.json"), appsettingsJson);
        }

        var upstream = await TestUpstream.StartAsync();
        var configuration = BaseSettings(upstream.Address);
        if (appsettingsJson is not null)
        {
            // The file brings its own routes.
            configuration.Remove("ReverseProxy:Routes:all:ClusterId");
            configuration.Remove("ReverseProxy:Routes:all:Match:Path");
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            // A null value takes a base setting away.
            if (value is null)
            {
                configuration.Remove(key);
            }
            else
            {
                configuration[key] = value.Replace(UpstreamPlaceholder, upstream.Address.ToString(), StringComparison.Ordinal);
            }
        }

        var logs = new CapturedLogs();
        WebApplication app;
        try
        {
            app = await GatewayApplication.BuildAsync(
                ["--contentRoot", contentRoot, "--environment", "Production"],
                builder =>
                {
                    builder.Configuration.AddInMemoryCollection(configuration);
                    builder.Logging.AddProvider(logs);
                    services?.Invoke(builder.Services);
                });
        }
        catch
        {
            // A test that expects a configuration error leaves no upstream running.
            await upstream.DisposeAsync();
            throw;
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TestGateway(app, upstream, contentRoot, new Uri(address), logs, pki.Server);
    }

    public static string WriteContentRoot(TestPki pki)
    {
        var contentRoot = Directory.CreateTempSubdirectory("mtlsgateway-test-").FullName;
        Directory.CreateDirectory(Path.Combine(contentRoot, "trust"));
        File.WriteAllText(Path.Combine(contentRoot, "trust", "root.pem"), pki.Root.Certificate.ExportCertificatePem());
        Directory.CreateDirectory(Path.Combine(contentRoot, "crl"));
        File.WriteAllBytes(Path.Combine(contentRoot, "crl", CrlFileName(pki.Root)), pki.Root.CreateCrl());
        PemFiles.WriteCertificate(Path.Combine(contentRoot, "server.crt"), pki.Server);
        PemFiles.WritePrivateKey(Path.Combine(contentRoot, "server.key"), pki.Server);
        return contentRoot;
    }

    public static Dictionary<string, string?> BaseSettings(Uri upstream) => new()
    {
        ["Kestrel:Endpoints:Gateway:Url"] = "https://127.0.0.1:0",
        ["Kestrel:Endpoints:Gateway:Certificate:Path"] = "server.crt",
        ["Kestrel:Endpoints:Gateway:Certificate:KeyPath"] = "server.key",
        ["Gateway:ClientCertificates:TrustedCaFiles:0"] = "trust",
        ["Gateway:ClientCertificates:ReloadInterval"] = "00:00:01",
        ["Gateway:ClientCertificates:Revocation:CrlFiles:0"] = "crl",
        // Tests run in parallel: each gateway's admin listener takes a port of its own.
        ["Gateway:Admin:Url"] = "http://127.0.0.1:0",
        ["ReverseProxy:Routes:all:ClusterId"] = "upstream",
        ["ReverseProxy:Routes:all:Match:Path"] = "{**catch-all}",
        ["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = upstream.ToString(),
    };

    /// <summary>A client that presents <paramref name="certificate"/> (and sends <paramref name="chain"/> in the handshake).</summary>
    public HttpClient CreateClient(X509Certificate2? certificate, IEnumerable<X509Certificate2>? chain = null) =>
        MutualTlsClient.Create(Address, serverCertificate, certificate, chain);

    /// <summary>
    /// Publishes a CRL of <paramref name="authority"/> into the gateway's CRL folder the way an operator would (write
    /// aside, rename into place) and waits until the gateway has loaded it.
    /// </summary>
    public async Task PublishCrlAsync(TestCa authority, IEnumerable<X509Certificate2> revoked, DateTimeOffset? nextUpdate = null, DateTimeOffset? thisUpdate = null)
    {
        var der = authority.CreateCrl(revoked, configure: crl =>
        {
            crl.NextUpdate = nextUpdate ?? DateTimeOffset.UtcNow.AddDays(7);
            crl.ThisUpdate = thisUpdate ?? crl.ThisUpdate;
        });
        var number = Validation.Revocation.Crl.CertificateRevocationList.Parse(der).CrlNumber;
        var name = CrlFileName(authority);
        var temporary = Path.Combine(CrlFolder, "." + name);
        await File.WriteAllBytesAsync(temporary, der);
        File.Move(temporary, Path.Combine(CrlFolder, name), overwrite: true);

        var store = Services.GetRequiredService<MtlsGateway.Revocation.RevocationSources>().CrlFiles!;
        await Eventually.HoldsAsync(() => store.Summaries().Any(summary => summary.CrlNumber == number), "the gateway to load the published CRL");
    }

    /// <summary>
    /// A CA below <paramref name="parent"/> whose (empty) CRL the gateway has loaded, so its clients pass revocation in
    /// Require mode.
    /// </summary>
    public async Task<TestCa> CreateIntermediateAsync(TestCa parent, string subject)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var issuing = parent.CreateIntermediate(subject);
        await PublishCrlAsync(issuing, []);
        return issuing;
    }

    /// <summary>One CRL file per CA in the CRL folder, so publishing a CA's new CRL replaces its old one.</summary>
    public static string CrlFileName(TestCa authority) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(authority.Certificate.RawData))[..16] + ".crl";

    public async ValueTask DisposeAsync()
    {
        // Bounded: a test must end even if a connection refuses to drain.
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await app.StopAsync(stopping.Token);
        }

        await app.DisposeAsync();
        await upstream.DisposeAsync();
        try
        {
            Directory.Delete(ContentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A watcher may still hold the folder for a moment; the temp folder is cleaned up by the OS eventually.
        }
    }
}
