using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Http;

/// <summary>HTTP clients for a TLS server under test: the server is pinned, the client certificate is the test's.</summary>
public static class MutualTlsClient
{
    /// <summary>
    /// A client with its own connection pool that trusts exactly <paramref name="serverCertificate"/> and presents
    /// <paramref name="clientCertificate"/> (none when null), sending <paramref name="chain"/> in the handshake.
    /// </summary>
    public static HttpClient Create(Uri address, X509Certificate2 serverCertificate, X509Certificate2? clientCertificate, IEnumerable<X509Certificate2>? chain = null)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        var serverThumbprint = serverCertificate.GetCertHashString();
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == serverThumbprint,
            },
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, new X509Certificate2Collection((chain ?? []).ToArray()), offline: true);
        }

        return new HttpClient(handler) { BaseAddress = address, DefaultRequestVersion = HttpVersion.Version11 };
    }
}
