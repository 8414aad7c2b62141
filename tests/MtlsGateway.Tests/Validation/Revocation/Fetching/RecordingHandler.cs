using System.Collections.Concurrent;

namespace MtlsGateway.Tests.Validation.Revocation.Fetching;

/// <summary>Passes every request to a real SocketsHttpHandler and records what was sent, so tests can see GET vs POST and count fetches.</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    public RecordingHandler()
        : base(new SocketsHttpHandler { UseProxy = false })
    {
    }

    public ConcurrentQueue<(HttpMethod Method, Uri Url)> Sent { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Sent.Enqueue((request.Method, request.RequestUri!));
        return base.SendAsync(request, cancellationToken);
    }
}
