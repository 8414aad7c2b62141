using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MtlsGateway.TestSupport.Loopback;

/// <summary>How a <see cref="TestUpstream"/> listens and answers.</summary>
public sealed class TestUpstreamOptions
{
    /// <summary>The answer to every request; the echo (<see cref="EchoAnswer"/>) when null.</summary>
    public RequestDelegate? Handler { get; set; }

    /// <summary>HTTPS with this certificate (its key included) instead of plain HTTP.</summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>HTTPS that requires a client certificate issued by one of these CAs (mutual TLS).</summary>
    public IReadOnlyCollection<X509Certificate2>? ClientCertificateAuthorities { get; set; }

    public HttpProtocols Protocols { get; set; } = HttpProtocols.Http1AndHttp2;

    /// <summary>
    /// The first requests wait (15 s at most) until this many are in flight at once, which forces as many distinct
    /// connections over HTTP/1.1. The echo reports whether a request was held.
    /// </summary>
    public int HoldUntil { get; set; }

    /// <summary>A server certificate made for this upstream alone, disposed with it.</summary>
    internal Pki.TestCa? OwnServerCertificate { get; private set; }

    /// <summary>Answers every request with these bytes, read anew per request (so a test can change them).</summary>
    public TestUpstreamOptions Serving(Func<byte[]> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Handler = async context =>
        {
            var bytes = body();
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes);
        };
        return this;
    }

    /// <summary>
    /// Answers with the client certificate's subject as plain text and closes the connection, for clients that speak
    /// HTTP/1.1 by hand over an SslStream.
    /// </summary>
    public TestUpstreamOptions AnsweringClientSubject()
    {
        Handler = async context =>
        {
            var body = System.Text.Encoding.UTF8.GetBytes(context.Connection.ClientCertificate?.Subject ?? "(none)");
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = body.Length;
            context.Response.Headers.Connection = "close";
            await context.Response.Body.WriteAsync(body);
        };
        return this;
    }

    /// <summary>Mutual TLS: serves <paramref name="serverCertificate"/> and requires a client certificate from <paramref name="clientCas"/>.</summary>
    public TestUpstreamOptions MutualTls(X509Certificate2 serverCertificate, params X509Certificate2[] clientCas)
    {
        ServerCertificate = serverCertificate;
        ClientCertificateAuthorities = clientCas;
        return this;
    }

    /// <summary>Mutual TLS with a self-signed certificate for localhost (pin it with <see cref="TestUpstream.IsServer"/>).</summary>
    public TestUpstreamOptions MutualTlsWithOwnCertificate(params X509Certificate2[] clientCas)
    {
        OwnServerCertificate ??= Pki.TestCa.CreateRoot("CN=localhost", profile => profile.LoopbackServer());
        return MutualTls(OwnServerCertificate.Certificate, clientCas);
    }
}
