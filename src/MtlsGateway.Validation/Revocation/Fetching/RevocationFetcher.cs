using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>
/// Fetches CRLs and OCSP answers over http for every revocation source. One fetch costs at most
/// <see cref="RevocationFetcherOptions.FetchTimeout"/>; concurrent callers asking for the same URL and body share one
/// fetch; a failure is remembered for <see cref="RevocationFetcherOptions.FailureMemory"/> so a dead responder is not
/// asked again by every request; an answer over the size cap is an error.
/// </summary>
public sealed partial class RevocationFetcher
{
    /// <summary>The ActivitySource the host should listen to; each network fetch is one "revocation.fetch" client span.</summary>
    public const string ActivitySourceName = "MtlsGateway.Revocation";

    public const string FetchActivityName = "revocation.fetch";

    private const int MaxRememberedFailures = 1024;

    private static readonly ActivitySource Activities = new(ActivitySourceName);

    private readonly HttpMessageInvoker invoker;
    private readonly RevocationFetcherOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<FetchResult>>> inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RememberedFailure> failures = new(StringComparer.Ordinal);

    /// <param name="invoker">Configured by the host (SocketsHttpHandler with its connection limits and proxy settings); not disposed here.</param>
    public RevocationFetcher(HttpMessageInvoker invoker, RevocationFetcherOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(options);
        this.invoker = invoker;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    public event Action<FetchCompleted>? FetchCompleted;

    public RevocationFetcherOptions Options => options;

    public Task<FetchResult> GetAsync(Uri url, RevocationFetchKind kind, CancellationToken cancellationToken)
        => FetchAsync(url, kind, body: null, contentType: null, cancellationToken);

    public Task<FetchResult> PostAsync(Uri url, RevocationFetchKind kind, ReadOnlyMemory<byte> body, string contentType, CancellationToken cancellationToken)
        => FetchAsync(url, kind, body.ToArray(), contentType, cancellationToken);

    private async Task<FetchResult> FetchAsync(Uri url, RevocationFetchKind kind, byte[]? body, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!RevocationUrl.IsSupported(url))
        {
            return FetchResult.Failure(FetchOutcome.UnsupportedScheme, $"unsupported scheme: {url.Scheme}: {url}");
        }

        var key = KeyOf(url, body);
        var remembered = RecentFailure(OriginOf(url)) ?? RecentFailure(key);
        if (remembered is not null)
        {
            return remembered with { Detail = "recent failure, not retried yet: " + remembered.Detail };
        }

        Lazy<Task<FetchResult>>? created = null;
        created = new Lazy<Task<FetchResult>>(() => FetchSharedAsync(key, created!, url, kind, body, contentType));
        var shared = inFlight.GetOrAdd(key, created);

        // One caller giving up must not cancel the fetch the others wait for; the fetch is bounded by its own timeout.
        return await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<FetchResult> FetchSharedAsync(string key, Lazy<Task<FetchResult>> self, Uri url, RevocationFetchKind kind, byte[]? body, string? contentType)
    {
        try
        {
            var started = timeProvider.GetTimestamp();
            using var activity = Activities.StartActivity(FetchActivityName, ActivityKind.Client);
            activity?.SetTag("url.full", url.ToString());
            activity?.SetTag("revocation.kind", kind.ToString());

            var result = await FetchOnceAsync(url, kind, body, contentType).ConfigureAwait(false);
            var duration = timeProvider.GetElapsedTime(started);

            activity?.SetTag("revocation.fetch.outcome", result.Outcome.ToString());
            if (!result.Succeeded)
            {
                activity?.SetStatus(ActivityStatusCode.Error, result.Outcome.ToString());
                Remember(result.Outcome is FetchOutcome.Timeout or FetchOutcome.NetworkError ? OriginOf(url) : key, result);
                LogFetchFailed(logger, kind, url, result.Outcome, result.Detail);
            }

            Announce(new FetchCompleted(url, kind, duration, result.Outcome));
            return result;
        }
        finally
        {
            inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<FetchResult>>>(key, self));
        }
    }

    private async Task<FetchResult> FetchOnceAsync(Uri url, RevocationFetchKind kind, byte[]? body, string? contentType)
    {
        var maxBytes = kind == RevocationFetchKind.Crl ? options.MaxCrlBytes : options.MaxOcspBytes;
        using var timeout = new CancellationTokenSource(options.FetchTimeout, timeProvider);
        try
        {
            using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, url);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/octet-stream");
            }

            using var response = await invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return FetchResult.Failure(FetchOutcome.HttpError, $"{url} answered HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength is long announced && announced > maxBytes)
            {
                return FetchResult.Failure(FetchOutcome.TooLarge, $"{url} announced {announced} bytes, more than the {maxBytes} allowed for a {kind} answer");
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var bytes = await ReadCappedAsync(stream, maxBytes, timeout.Token).ConfigureAwait(false);
                return bytes is null
                    ? FetchResult.Failure(FetchOutcome.TooLarge, $"{url} sent more than the {maxBytes} bytes allowed for a {kind} answer")
                    : new FetchResult(FetchOutcome.Success, bytes, $"{bytes.Length} bytes from {url}");
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return FetchResult.Failure(FetchOutcome.Timeout, $"{url} did not answer within {options.FetchTimeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return FetchResult.Failure(FetchOutcome.NetworkError, $"{url} could not be fetched: {e.Message}");
        }
#pragma warning disable CA1031 // Fail closed: whatever the handler throws (a redirect to another scheme, a bad header), it is a failed fetch, never an exception on the request path.
        catch (Exception e)
        {
            return FetchResult.Failure(FetchOutcome.NetworkError, $"{url} could not be fetched: {e.GetType().Name}: {e.Message}");
        }
#pragma warning restore CA1031
    }

    private static async Task<byte[]?> ReadCappedAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        using var collected = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (collected.Length + read > maxBytes)
            {
                return null;
            }

            collected.Write(buffer, 0, read);
        }

        return collected.ToArray();
    }

    private void Announce(FetchCompleted completed)
    {
        try
        {
            FetchCompleted?.Invoke(completed);
        }
#pragma warning disable CA1031 // A broken metrics handler must not turn a fetched answer into an error.
        catch (Exception e)
        {
            LogObserverFailed(logger, e.GetType().Name);
        }
#pragma warning restore CA1031
    }

    private FetchResult? RecentFailure(string key)
    {
        if (!failures.TryGetValue(key, out var failure))
        {
            return null;
        }

        if (timeProvider.GetUtcNow() < failure.Until)
        {
            return failure.Result;
        }

        failures.TryRemove(new KeyValuePair<string, RememberedFailure>(key, failure));
        return null;
    }

    private void Remember(string key, FetchResult result)
    {
        var now = timeProvider.GetUtcNow();
        failures[key] = new RememberedFailure(result, now + options.FailureMemory);

        // Keys of failed requests that are never asked again would pile up (OCSP GET URLs, nonces): sweep the expired ones.
        if (failures.Count > MaxRememberedFailures)
        {
            foreach (var entry in failures)
            {
                if (entry.Value.Until <= now)
                {
                    failures.TryRemove(entry);
                }
            }
        }
    }

    // A responder that cannot be reached is down for every request to it, so that memory covers the whole origin.
    private static string OriginOf(Uri url) => "ORIGIN " + url.GetLeftPart(UriPartial.Authority);

    private static string KeyOf(Uri url, byte[]? body)
        => body is null ? "GET " + url.AbsoluteUri : "POST " + url.AbsoluteUri + " " + Convert.ToHexString(SHA256.HashData(body));

    private sealed record RememberedFailure(FetchResult Result, DateTimeOffset Until);

    [LoggerMessage(EventId = EventIds.FetchCompletedHandlerFailed, EventName = nameof(EventIds.FetchCompletedHandlerFailed), Level = LogLevel.Error, Message = "A FetchCompleted handler threw {ExceptionType}")]
    private static partial void LogObserverFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = EventIds.RevocationFetchFailed, EventName = nameof(EventIds.RevocationFetchFailed), Level = LogLevel.Warning, Message = "Revocation {Kind} fetch from {Url} failed ({Outcome}): {Detail}")]
    private static partial void LogFetchFailed(ILogger logger, RevocationFetchKind kind, Uri url, FetchOutcome outcome, string detail);
}
