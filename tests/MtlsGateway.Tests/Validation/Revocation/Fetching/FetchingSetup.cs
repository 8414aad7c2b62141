using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using MtlsGateway.Validation.Revocation.Fetching;

namespace MtlsGateway.Tests.Validation.Revocation.Fetching;

/// <summary>A real fetcher over a real SocketsHttpHandler, with every request and every FetchCompleted event recorded.</summary>
internal sealed class FetchingSetup : IDisposable
{
    public FetchingSetup(RevocationFetcherOptions? options = null)
    {
        Invoker = new HttpMessageInvoker(Handler);
        Fetcher = new RevocationFetcher(Invoker, options ?? new RevocationFetcherOptions { FetchTimeout = TimeSpan.FromSeconds(20) }, TimeProvider.System, NullLogger.Instance);
        Fetcher.FetchCompleted += Completed.Enqueue;
    }

    public RecordingHandler Handler { get; } = new();

    public HttpMessageInvoker Invoker { get; }

    public RevocationFetcher Fetcher { get; }

    public ConcurrentQueue<FetchCompleted> Completed { get; } = new();

    public void Dispose() => Invoker.Dispose();
}
