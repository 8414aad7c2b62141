using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.Hosting;

/// <summary>
/// The number of connections a gateway holds is bounded: every shipped appsettings.json sets
/// <c>Kestrel:Limits:MaxConcurrentConnections</c> to the value the README documents, and the real gateway enforces the
/// setting: clients that hold connections open cannot take more than the limit.
/// </summary>
public sealed class ConnectionLimitTests
{
    private const string Setting = "MaxConcurrentConnections";

    private static readonly string[] ShippedSettings =
    [
        "src/MtlsGateway/appsettings.json",
        "deploy/compose/gateway/appsettings.json",
        "deploy/kubernetes/appsettings.json",
    ];

    [Fact]
    public void Every_shipped_appsettings_sets_the_documented_connection_limit()
    {
        var root = RepositoryRoot();
        // The configuration reference row names the value the shipped files set.
        var documented = File.ReadAllLines(Path.Combine(root, "README.md")).Single(line => line.StartsWith($"| `Kestrel:Limits:{Setting}` |", StringComparison.Ordinal));
        foreach (var file in ShippedSettings)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, file)), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            var limit = json.RootElement.GetProperty("Kestrel").GetProperty("Limits").GetProperty(Setting).GetInt32();
            Assert.InRange(limit, 1, 100_000);
            Assert.Contains($"`{limit}` in the shipped appsettings.json", documented, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Connections_beyond_the_limit_are_closed_until_one_ends()
    {
        using var pki = new TestPki();
        await using var gateway = await TestGateway.StartAsync(pki, new Dictionary<string, string?> { [$"Kestrel:Limits:{Setting}"] = "2" });
        using var client = pki.Client("holder");

        // Two clients complete the handshake and one request each, then hold their connections open.
        using var first = await ConnectAsync(gateway, pki, client);
        using var second = await ConnectAsync(gateway, pki, client);
        Assert.StartsWith("HTTP/1.1 200 ", await RequestAsync(first), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 ", await RequestAsync(second), StringComparison.Ordinal);

        // A third is closed before its handshake completes.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var third = await ConnectAsync(gateway, pki, client);
            await RequestAsync(third);
        });

        // Once one ends, the gateway accepts again.
        first.Dispose();
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    using var next = await ConnectAsync(gateway, pki, client);
                    return (await RequestAsync(next)).StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal);
                }
                catch (Exception exception) when (exception is IOException or SocketException or AuthenticationException)
                {
                    return false;
                }
            },
            "a connection to be accepted once one of the two ended");
        Assert.StartsWith("HTTP/1.1 200 ", await RequestAsync(second), StringComparison.Ordinal);
    }

    private static async Task<SslStream> ConnectAsync(TestGateway gateway, TestPki pki, System.Security.Cryptography.X509Certificates.X509Certificate2 client)
    {
        var server = pki.Server;
        var tcp = new TcpClient();
        await tcp.ConnectAsync(gateway.Address.Host, gateway.Address.Port);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == server.GetCertHashString(),
                    ClientCertificateContext = SslStreamCertificateContext.Create(client, [], offline: true),
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                },
                timeout.Token);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>One keep-alive request; returns the response head and body as read in one go (the echo answer is small).</summary>
    private static async Task<string> RequestAsync(SslStream tls)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n"), timeout.Token);
        var buffer = new byte[16384];
        var read = await tls.ReadAsync(buffer, timeout.Token);
        if (read == 0)
        {
            throw new IOException("the gateway closed the connection");
        }

        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MtlsGateway.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("MtlsGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
