using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.TestSupport.Processes;

namespace MtlsGateway.IntegrationTests.ClientCertificates;

/// <summary>
/// A client refused for its certificate cannot keep the connection: after the 403 the gateway closes it
/// (<c>Connection: close</c> on HTTP/1.1, GOAWAY on HTTP/2), so a refused client that keeps sending opens a new TLS
/// connection, and a full handshake, for every request. A refusal by one route's policy (<c>forbidden</c>) and an
/// admitted request keep the connection: the same client may call other routes on it.
/// </summary>
public sealed class RefusedConnectionTests : GatewayPerTest
{
    public RefusedConnectionTests()
        : base(settings: new Dictionary<string, string?>
        {
            ["Gateway:Authorization:Policies:payments:Allow:0:OrganizationalUnits:0"] = "payments",
            ["ReverseProxy:Routes:pay:ClusterId"] = "upstream",
            ["ReverseProxy:Routes:pay:Match:Path"] = "/pay/{**rest}",
            ["ReverseProxy:Routes:pay:AuthorizationPolicy"] = "payments",
        })
    {
    }

    public static TheoryData<string> Versions() => new() { "1.1", "2.0" };

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Every_request_of_a_client_refused_for_its_certificate_needs_a_new_connection(string version)
    {
        using var expired = pki.Client("expired", profile => profile.Valid(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddHours(-1)));
        using var stranger = new TestPki("Stranger");
        using var untrusted = stranger.Client("mallory");
        foreach (var (certificate, reason) in new[] { (expired, "expired"), (untrusted, "untrusted") })
        {
            var connections = 0;
            using var client = CountingClient(certificate, version, () => Interlocked.Increment(ref connections));
            for (var i = 0; i < 3; i++)
            {
                using var response = await client.GetAsync(new Uri("/x", UriKind.Relative));
                Assert.Equal(Version.Parse(version), response.Version);
                await ProblemAssert.RefusedAsync(response, reason);
                if (version == "1.1")
                {
                    Assert.True(response.Headers.ConnectionClose, $"no Connection: close on the {reason} refusal");
                }
            }

            Assert.Equal(3, Volatile.Read(ref connections));
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_refusal_by_a_routes_policy_and_an_admitted_request_keep_the_connection(string version)
    {
        using var marketing = pki.Root.Issue("CN=marketing-app, OU=marketing, O=Tests");
        var connections = 0;
        using var client = CountingClient(marketing, version, () => Interlocked.Increment(ref connections));
        for (var i = 0; i < 3; i++)
        {
            using var refused = await client.GetAsync(new Uri("/pay/x", UriKind.Relative));
            await ProblemAssert.RefusedAsync(refused, "forbidden");
            Assert.NotEqual(true, refused.Headers.ConnectionClose);
            using var admitted = await client.GetAsync(new Uri("/other", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        Assert.Equal(1, Volatile.Read(ref connections));
    }

    [Fact]
    public async Task Over_raw_HTTP11_the_gateway_answers_the_first_of_two_pipelined_requests_and_closes()
    {
        // openssl s_client returns only once the server has closed the connection: a server that kept it open would
        // time this out, and one that read on would answer the second request.
        using var expired = pki.Client("expired", profile => profile.Valid(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddHours(-1)));
        using var files = new ClientCertificateFiles(pki.Root.Certificate, expired);
        const string Request = "GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n";
        var before = gateway.Upstream.Requests;
        var output = await OpenSslHttpClient.ExchangeAsync(files, gateway.Address, Request + Request, TimeSpan.FromSeconds(60));

        Assert.Single(output.Split("HTTP/1.1 ", StringSplitOptions.RemoveEmptyEntries), part => part.StartsWith("403 ", StringComparison.Ordinal));
        Assert.Contains("\r\nConnection: close\r\n", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"reason\":\"expired\"", output, StringComparison.Ordinal);
        Assert.Equal(before, gateway.Upstream.Requests);
    }

    [Fact]
    public async Task Curl_over_HTTP2_opens_a_second_connection_after_a_certificate_refusal()
    {
        // curl reuses an HTTP/2 connection for its second URL unless the server has sent GOAWAY.
        using var expired = pki.Client("expired", profile => profile.Valid(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddHours(-1)));
        using var refusedFiles = new ClientCertificateFiles(pki.Root.Certificate, expired);
        var refused = await TwoRequestsWithCurlAsync(refusedFiles);
        Assert.Equal(2, CountOccurrences(refused.StandardOutput, "\"reason\":\"expired\""));
        Assert.Equal(2, CountOccurrences(refused.StandardError, "Connected to"));

        using var admitted = pki.Client("honest");
        using var admittedFiles = new ClientCertificateFiles(pki.Root.Certificate, admitted);
        var kept = await TwoRequestsWithCurlAsync(admittedFiles);
        Assert.Equal(1, CountOccurrences(kept.StandardError, "Connected to"));
    }

    [Fact]
    public async Task Nghttp_sees_the_GOAWAY_frame_after_a_certificate_refusal_and_none_otherwise()
    {
        // nghttp prints every frame: the server's GOAWAY comes before the client's own, which ends its session.
        using var expired = pki.Client("expired", profile => profile.Valid(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddHours(-1)));
        using var refusedFiles = new ClientCertificateFiles(pki.Root.Certificate, expired);
        var refused = await NghttpAsync(refusedFiles);
        Assert.Contains(":status: 403", refused, StringComparison.Ordinal);
        var received = refused.IndexOf("recv GOAWAY frame", StringComparison.Ordinal);
        Assert.True(received >= 0, refused);
        var sent = refused.IndexOf("send GOAWAY frame", StringComparison.Ordinal);
        Assert.True(sent < 0 || received < sent, refused);
        Assert.Contains("error_code=NO_ERROR", refused[received..], StringComparison.Ordinal);

        using var admitted = pki.Client("honest");
        using var admittedFiles = new ClientCertificateFiles(pki.Root.Certificate, admitted);
        var kept = await NghttpAsync(admittedFiles);
        Assert.Contains(":status: 200", kept, StringComparison.Ordinal);
        var keptReceived = kept.IndexOf("recv GOAWAY frame", StringComparison.Ordinal);
        var keptSent = kept.IndexOf("send GOAWAY frame", StringComparison.Ordinal);
        Assert.True(keptReceived < 0 || (keptSent >= 0 && keptSent < keptReceived), kept);
    }

    private async Task<string> NghttpAsync(ClientCertificateFiles files)
    {
        var result = await ProcessRunner.RunAsync(
            "nghttp",
            ["-nv", "--timeout=30", "--cert", files.CertificateFile, "--key", files.KeyFile, new Uri(gateway.Address, "/x").ToString()]);
        return result.Output;
    }

    private async Task<ProcessResult> TwoRequestsWithCurlAsync(ClientCertificateFiles files)
    {
        var url = new Uri(gateway.Address, "/x").ToString();
        var result = await ProcessRunner.RunAsync(
            "curl",
            ["-sS", "-v", "--max-time", "30", "--http2", "--cacert", files.CaFile, "--cert", files.CertificateFile, "--key", files.KeyFile, url, url]);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(2, CountOccurrences(result.StandardError, "< HTTP/2 "));
        return result;
    }

    private static int CountOccurrences(string text, string value) =>
        text.Split(value).Length - 1;

    /// <summary>A client on its own pool that counts the TCP connections it opens.</summary>
    private HttpClient CountingClient(X509Certificate2 certificate, string version, Action connected)
    {
        var serverThumbprint = pki.Server.GetCertHashString();
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == serverThumbprint,
                ClientCertificateContext = SslStreamCertificateContext.Create(certificate, [], offline: true),
            },
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    connected();
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler)
        {
            BaseAddress = gateway.Address,
            DefaultRequestVersion = Version.Parse(version),
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }
}
