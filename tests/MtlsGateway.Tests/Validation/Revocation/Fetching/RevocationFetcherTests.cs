using System.Net;
using System.Net.Sockets;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.Validation.Revocation.Fetching;

namespace MtlsGateway.Tests.Validation.Revocation.Fetching;

public sealed class RevocationFetcherTests : IDisposable
{
    private readonly List<IDisposable> owned = [];

    public void Dispose()
    {
        foreach (var item in owned)
        {
            item.Dispose();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnswerOverTheSizeCap_IsTooLarge(bool chunked)
    {
        var server = Own(TestUpstream.Start(options => options.Handler = async context =>
        {
            var body = new byte[100 * 1024];
            if (!chunked)
            {
                context.Response.ContentLength = body.Length;
            }

            // Without a length, Kestrel sends HTTP/1.1 chunked.
            await context.Response.Body.WriteAsync(body);
        }));
        var setup = Own(new FetchingSetup());

        var result = await setup.Fetcher.GetAsync(server.Address, RevocationFetchKind.Ocsp, CancellationToken.None);
        var asCrl = await setup.Fetcher.GetAsync(new Uri(server.Address, "crl"), RevocationFetchKind.Crl, CancellationToken.None);

        Assert.Equal(FetchOutcome.TooLarge, result.Outcome);
        Assert.Null(result.Body);
        Assert.Contains("65536", result.Detail, StringComparison.Ordinal);
        Assert.Equal(FetchOutcome.Success, asCrl.Outcome);
        Assert.Equal(100 * 1024, asCrl.Body!.Length);
    }

    [Theory]
    [InlineData("ldap://ldap.example/cn=CA?certificateRevocationList")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://ocsp.example/")]
    [InlineData("ftp://ftp.example/ca.crl")]
    public async Task NonHttpUrl_IsUnsupportedScheme_AndNotFetched(string url)
    {
        var setup = Own(new FetchingSetup());

        var result = await setup.Fetcher.GetAsync(new Uri(url), RevocationFetchKind.Crl, CancellationToken.None);

        Assert.Equal(FetchOutcome.UnsupportedScheme, result.Outcome);
        Assert.StartsWith("unsupported scheme", result.Detail, StringComparison.Ordinal);
        Assert.Empty(setup.Handler.Sent);
        Assert.Empty(setup.Completed);
    }

    [Fact]
    public async Task HttpErrorStatus_IsAFailure_RememberedForFailureMemory()
    {
        var server = Own(TestUpstream.Start(options => options.Handler = context =>
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        }));
        var remembering = Own(new FetchingSetup(new RevocationFetcherOptions { FailureMemory = TimeSpan.FromMinutes(5) }));
        var forgetting = Own(new FetchingSetup(new RevocationFetcherOptions { FailureMemory = TimeSpan.Zero }));

        for (var i = 0; i < 3; i++)
        {
            var remembered = await remembering.Fetcher.GetAsync(server.Address, RevocationFetchKind.Crl, CancellationToken.None);
            Assert.Equal(FetchOutcome.HttpError, remembered.Outcome);
            Assert.Contains("HTTP 404", remembered.Detail, StringComparison.Ordinal);
        }

        Assert.Single(remembering.Handler.Sent);
        Assert.Equal(1, server.Requests);

        for (var i = 0; i < 3; i++)
        {
            await forgetting.Fetcher.GetAsync(server.Address, RevocationFetchKind.Crl, CancellationToken.None);
        }

        Assert.Equal(4, server.Requests);
    }

    [Fact]
    public async Task RefusedConnection_IsNetworkError_ReportedOnce()
    {
        var port = LoopbackPort.Unused();
        var setup = Own(new FetchingSetup());

        var result = await setup.Fetcher.GetAsync(new Uri($"http://127.0.0.1:{port}/ca.crl"), RevocationFetchKind.Crl, CancellationToken.None);

        Assert.Equal(FetchOutcome.NetworkError, result.Outcome);
        var completed = Assert.Single(setup.Completed);
        Assert.Equal(FetchOutcome.NetworkError, completed.Outcome);
        Assert.Equal(RevocationFetchKind.Crl, completed.Kind);
    }

    [Fact]
    public async Task UnreachableOrigin_IsRememberedForEveryUrlOnIt()
    {
        var origin = $"http://127.0.0.1:{LoopbackPort.Unused()}";
        var setup = Own(new FetchingSetup(new RevocationFetcherOptions { FailureMemory = TimeSpan.FromMinutes(5) }));

        var first = await setup.Fetcher.GetAsync(new Uri(origin + "/a.crl"), RevocationFetchKind.Crl, CancellationToken.None);
        var other = await setup.Fetcher.GetAsync(new Uri(origin + "/b.crl"), RevocationFetchKind.Crl, CancellationToken.None);

        Assert.Equal(FetchOutcome.NetworkError, first.Outcome);
        Assert.Equal(FetchOutcome.NetworkError, other.Outcome);
        Assert.StartsWith("recent failure", other.Detail, StringComparison.Ordinal);
        Assert.Single(setup.Handler.Sent);
    }

    [Fact]
    public async Task CallerGivingUp_DoesNotCancelTheSharedFetch()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = Own(TestUpstream.Start(options => options.Handler = async context =>
        {
            await release.Task;
            await context.Response.Body.WriteAsync("crl"u8.ToArray());
        }));
        var setup = Own(new FetchingSetup());
        using var impatient = new CancellationTokenSource();

        var abandoned = setup.Fetcher.GetAsync(server.Address, RevocationFetchKind.Crl, impatient.Token);
        var patient = setup.Fetcher.GetAsync(server.Address, RevocationFetchKind.Crl, CancellationToken.None);
        await impatient.CancelAsync();
        release.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(FetchOutcome.Success, (await patient).Outcome);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task SilentServer_TimesOutAfterFetchTimeout()
    {
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var setup = Own(new FetchingSetup(new RevocationFetcherOptions { FetchTimeout = TimeSpan.FromMilliseconds(300) }));

        var result = await setup.Fetcher.PostAsync(new Uri($"http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}/"), RevocationFetchKind.Ocsp, new byte[] { 1, 2, 3 }, "application/ocsp-request", CancellationToken.None);

        Assert.Equal(FetchOutcome.Timeout, result.Outcome);
        Assert.Equal(FetchOutcome.Timeout, Assert.Single(setup.Completed).Outcome);
    }

    private T Own<T>(T item)
        where T : IDisposable
    {
        owned.Add(item);
        return item;
    }
}
