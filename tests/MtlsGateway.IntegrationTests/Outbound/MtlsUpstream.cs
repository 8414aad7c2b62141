using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MtlsGateway.IntegrationTests.Outbound;

/// <summary>
/// A real upstream on real Kestrel (loopback, HTTP/1.1 over TLS) that REQUIRES a client certificate issued by one of the
/// given CAs and answers with what it saw: the client certificate's subject and the connection id.
/// With <c>holdUntil</c> set, the first requests wait until that many are in flight at once, which forces as many
/// distinct connections (HTTP/1.1 carries one request at a time).
/// </summary>
internal sealed class MtlsUpstream : IAsyncDisposable
{
    private readonly WebApplication app;

    private MtlsUpstream(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }

    public Uri Address => new($"https://localhost:{Port}/");

    public static async Task<MtlsUpstream> StartAsync(X509Certificate2 serverCertificate, IReadOnlyCollection<X509Certificate2> clientCas, int holdUntil = 0)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Configuration.Sources.Clear(); // not the gateway's appsettings.json copied next to the tests
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(https =>
            {
                https.ServerCertificate = serverCertificate;
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => IssuedByOneOf(certificate, clientCas);
            });
        }));
        var app = builder.Build();
        var arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Run(async context =>
        {
            var held = false;
            if (holdUntil > 0 && Interlocked.Increment(ref arrived) <= holdUntil)
            {
                if (Volatile.Read(ref arrived) >= holdUntil)
                {
                    allArrived.TrySetResult();
                }

                held = await Task.WhenAny(allArrived.Task, Task.Delay(TimeSpan.FromSeconds(15))) == allArrived.Task;
            }

            await context.Response.WriteAsJsonAsync(new UpstreamAnswer(context.Connection.ClientCertificate?.Subject, context.Connection.Id, held));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new MtlsUpstream(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static bool IssuedByOneOf(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> cas)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}

/// <summary>What <see cref="MtlsUpstream"/> answers.</summary>
internal sealed record UpstreamAnswer(string? Subject, string Connection, bool Held);
