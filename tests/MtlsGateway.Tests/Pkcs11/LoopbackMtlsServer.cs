using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MtlsGateway.Tests.Pkcs11;

/// <summary>
/// A loopback HTTPS/1.1 server that requires a client certificate issued by the given CA and answers every request
/// with the client certificate's subject; one request per connection (Connection: close).
/// </summary>
internal sealed class LoopbackMtlsServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 clientCa;
    private readonly CancellationTokenSource stop = new();
    private readonly Task acceptLoop;

    public LoopbackMtlsServer(X509Certificate2 clientCa)
    {
        this.clientCa = clientCa;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        ServerCertificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        listener.Start();
        acceptLoop = AcceptAsync();
    }

    public X509Certificate2 ServerCertificate { get; }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public ConcurrentBag<string> ClientSubjects { get; } = [];

    /// <summary>Pins the test server's certificate: the client never accepts "any" certificate.</summary>
    public bool IsServer(X509Certificate? certificate) =>
        certificate is not null && certificate.GetCertHashString() == ServerCertificate.GetCertHashString();

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        ServerCertificate.Dispose();
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        await using (var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false, IsIssuedByClientCa))
        {
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = ServerCertificate,
                    ClientCertificateRequired = true,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                }, stop.Token);
                var subject = tls.RemoteCertificate?.Subject ?? "(none)";
                ClientSubjects.Add(subject);
                await ReadRequestHeadAsync(tls);
                var body = Encoding.UTF8.GetBytes(subject);
                await tls.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
                await tls.WriteAsync(body);
                await tls.ShutdownAsync();
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                ClientSubjects.Add($"(handshake failed: {e.Message})");
            }
        }
    }

    private bool IsIssuedByClientCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        using var path = new X509Chain();
        path.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        path.ChainPolicy.CustomTrustStore.Add(clientCa);
        path.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return path.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    private static async Task ReadRequestHeadAsync(Stream stream)
    {
        var seen = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            seen.Add(one[0]);
            if (seen.Count >= 4 && seen[^4] == '\r' && seen[^3] == '\n' && seen[^2] == '\r' && seen[^1] == '\n')
            {
                return;
            }
        }
    }
}
