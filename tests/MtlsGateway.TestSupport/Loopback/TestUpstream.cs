using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MtlsGateway.TestSupport.Loopback;

/// <summary>
/// A real upstream on real Kestrel, on a loopback port the OS picks: plain HTTP or HTTPS, optionally requiring a client
/// certificate (mutual TLS). By default it echoes what reached it (<see cref="EchoAnswer"/>); it can serve bytes (a
/// CRL, an OCSP answer, garbage) or anything a handler writes. It counts requests and the client subjects it saw.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable, IDisposable
{
    private readonly WebApplication app;
    private readonly X509Certificate2? serverCertificate;
    private readonly IDisposable? owned;
    private int requests;

    private TestUpstream(WebApplication app, X509Certificate2? serverCertificate, IDisposable? owned)
    {
        this.app = app;
        this.serverCertificate = serverCertificate;
        this.owned = owned;
    }

    /// <summary>http://127.0.0.1:port/ or, with TLS, https://localhost:port/ (the name the server certificate carries).</summary>
    public Uri Address { get; private set; } = null!;

    public int Port => Address.Port;

    public int Requests => Volatile.Read(ref requests);

    /// <summary>The client certificate subject of every request (TLS only), "(none)" where there was none.</summary>
    public ConcurrentQueue<string> ClientSubjects { get; } = new();

    public static async Task<TestUpstream> StartAsync(Action<TestUpstreamOptions>? configure = null)
    {
        var options = new TestUpstreamOptions();
        configure?.Invoke(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        // Not the gateway's appsettings.json copied next to the tests, nor its logging.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = options.Protocols;
            if (options.ServerCertificate is { } certificate)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    if (options.ClientCertificateAuthorities is { } cas)
                    {
                        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                        https.ClientCertificateValidation = (presented, _, _) => IssuedByOneOf(presented, cas);
                    }
                });
            }
        }));
        var app = builder.Build();
        var upstream = new TestUpstream(app, options.ServerCertificate, options.OwnServerCertificate);
        var handler = options.Handler ?? Echo;
        var hold = new Hold(options.HoldUntil);
        app.Run(async context =>
        {
            Interlocked.Increment(ref upstream.requests);
            if (options.ServerCertificate is not null)
            {
                upstream.ClientSubjects.Enqueue(context.Connection.ClientCertificate?.Subject ?? "(none)");
            }

            context.Items[typeof(Hold)] = await hold.WaitAsync();
            await handler(context);
        });
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        upstream.Address = options.ServerCertificate is null ? new Uri($"http://127.0.0.1:{port}/") : new Uri($"https://localhost:{port}/");
        return upstream;
    }

    /// <summary>The blocking form, for tests that set up synchronously.</summary>
    public static TestUpstream Start(Action<TestUpstreamOptions>? configure = null) =>
        Task.Run(() => StartAsync(configure)).GetAwaiter().GetResult();

    /// <summary>An upstream that answers every request with the bytes <paramref name="body"/> gives at that moment.</summary>
    public static TestUpstream Serving(Func<byte[]> body) => Start(options => options.Serving(body));

    /// <summary>Pins this upstream's certificate: a test client never accepts "any" certificate.</summary>
    public bool IsServer(X509Certificate? certificate) =>
        certificate is not null && serverCertificate is not null && certificate.GetCertHashString() == serverCertificate.GetCertHashString();

    public async ValueTask DisposeAsync()
    {
        // Bounded: a test must end even if a connection refuses to drain.
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await app.StopAsync(stopping.Token);
        }

        await app.DisposeAsync();
        owned?.Dispose();
    }

    public void Dispose() => Task.Run(() => DisposeAsync().AsTask()).GetAwaiter().GetResult();

    private static Task Echo(HttpContext context)
    {
        var answer = new EchoAnswer(
            EchoAnswer.Name,
            context.Request.Method,
            context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Protocol,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            context.Connection.ClientCertificate?.Subject,
            context.Connection.Id,
            context.Items[typeof(Hold)] is true);
        return context.Response.WriteAsJsonAsync(answer);
    }

    private static bool IssuedByOneOf(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> cas)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>Holds the first requests until <c>count</c> of them are in flight together.</summary>
    private sealed class Hold(int count)
    {
        private readonly TaskCompletionSource allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int arrived;

        public async Task<bool> WaitAsync()
        {
            if (count <= 0 || Interlocked.Increment(ref arrived) > count)
            {
                return false;
            }

            if (Volatile.Read(ref arrived) >= count)
            {
                allArrived.TrySetResult();
            }

            return await Task.WhenAny(allArrived.Task, Task.Delay(TimeSpan.FromSeconds(15))) == allArrived.Task;
        }
    }
}
