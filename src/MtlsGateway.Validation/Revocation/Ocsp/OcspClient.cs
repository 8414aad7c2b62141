using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using MtlsGateway.Validation.Revocation.Fetching;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Validation.Revocation.Ocsp;

/// <summary>
/// Asks a certificate's OCSP responders for its status and caches verified answers until their nextUpdate (bounded by
/// <see cref="OcspVerificationOptions.MaxCacheAge"/>). A fresh cached answer is served without network I/O; concurrent
/// requests for one certificate share one query; an answer that changes the status advances the <see cref="ValidationEpoch"/>.
/// </summary>
public sealed partial class OcspClient
{
    public const string RequestContentType = "application/ocsp-request";

    private readonly RevocationFetcher fetcher;
    private readonly OcspClientOptions options;
    private readonly ValidationEpoch epoch;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, CachedAnswer> answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<RevocationStatus>>> queries = new(StringComparer.Ordinal);
    private long hits;
    private long misses;

    public OcspClient(RevocationFetcher fetcher, OcspClientOptions options, ValidationEpoch epoch, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(fetcher);
        ArgumentNullException.ThrowIfNull(options);
        this.fetcher = fetcher;
        this.options = options;
        this.epoch = epoch;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    public OcspCacheCounts Counts => new(answers.Count, Interlocked.Read(ref hits), Interlocked.Read(ref misses));

    public async ValueTask<RevocationStatus> GetStatusAsync(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset validationTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        var key = OcspCertId.ForCertificate(certificate, issuer).Key;
        if (answers.TryGetValue(key, out var cached) && timeProvider.GetUtcNow() < cached.Until)
        {
            Interlocked.Increment(ref hits);
            return cached.Status;
        }

        Interlocked.Increment(ref misses);
        Lazy<Task<RevocationStatus>>? created = null;
        created = new Lazy<Task<RevocationStatus>>(() => QuerySharedAsync(key, created!, certificate, issuer, validationTime));
        return await queries.GetOrAdd(key, created).Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<RevocationStatus> QuerySharedAsync(string key, Lazy<Task<RevocationStatus>> self, X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset validationTime)
    {
        try
        {
            var status = await QueryAsync(certificate, issuer, validationTime).ConfigureAwait(false);
            Remember(key, status);
            return status;
        }
        finally
        {
            queries.TryRemove(new KeyValuePair<string, Lazy<Task<RevocationStatus>>>(key, self));
        }
    }

    private async Task<RevocationStatus> QueryAsync(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset validationTime)
    {
        RevocationEndpoints endpoints;
        try
        {
            endpoints = OcspEndpoints.Read(certificate);
        }
        catch (AsnContentException)
        {
            return RevocationStatus.Unknown(OcspResponseVerifier.SourceName, "malformed Authority Information Access extension");
        }

        if (endpoints.IsEmpty)
        {
            return RevocationStatus.Unknown(OcspResponseVerifier.SourceName, "certificate names no OCSP responder");
        }

        var problems = new List<string>();
        if (endpoints.Unsupported.Count > 0)
        {
            problems.Add(endpoints.DescribeUnsupported());
        }

        foreach (var url in endpoints.Supported)
        {
            OcspRequest request;
            try
            {
                request = OcspRequestBuilder.Build(certificate, issuer, options.UseNonce);
            }
            catch (ArgumentException)
            {
                // AsnWriter refuses a serial number that is not minimally encoded; no responder could match it either.
                return RevocationStatus.Unknown(OcspResponseVerifier.SourceName, "certificate's serial number is not a valid DER INTEGER");
            }

            var fetched = await SendAsync(url, request).ConfigureAwait(false);
            if (!fetched.Succeeded)
            {
                problems.Add(fetched.Detail);
                continue;
            }

            RevocationStatus status;
            try
            {
                status = OcspResponseVerifier.Verify(OcspResponseParser.Parse(fetched.Body), request, issuer, validationTime, options.Verification);
            }
            catch (OcspFormatException e)
            {
                status = RevocationStatus.Unknown(OcspResponseVerifier.SourceName, e.Message);
            }

            if (status.State != RevocationState.Unknown)
            {
                return status;
            }

            LogUnusableAnswer(logger, url, status.Detail);
            problems.Add($"{url}: {status.Detail}");
        }

        return RevocationStatus.Unknown(OcspResponseVerifier.SourceName, string.Join("; ", problems));
    }

    private Task<FetchResult> SendAsync(Uri url, OcspRequest request)
    {
        var getUrl = GetUrlOf(url, request.Der);
        return Encoding.UTF8.GetByteCount(getUrl.AbsoluteUri) <= options.MaxGetUrlLength
            ? fetcher.GetAsync(getUrl, RevocationFetchKind.Ocsp, CancellationToken.None)
            : fetcher.PostAsync(url, RevocationFetchKind.Ocsp, request.Der, RequestContentType, CancellationToken.None);
    }

    /// <summary>RFC 6960 A.1: the responder URL, a slash, then the URL-encoded base64 of the DER request.</summary>
    public static Uri GetUrlOf(Uri responder, byte[] requestDer)
    {
        ArgumentNullException.ThrowIfNull(responder);
        var prefix = responder.AbsoluteUri.EndsWith('/') ? responder.AbsoluteUri : responder.AbsoluteUri + "/";
        return new Uri(prefix + Uri.EscapeDataString(Convert.ToBase64String(requestDer)));
    }

    private void Remember(string key, RevocationStatus status)
    {
        var now = timeProvider.GetUtcNow();
        var until = status.State == RevocationState.Unknown ? now + options.FailureMemory : status.ValidUntil;
        var previous = answers.TryGetValue(key, out var old) ? old.Status.State : (RevocationState?)null;
        answers[key] = new CachedAnswer(status, until);
        if (previous is not null && previous != status.State)
        {
            epoch.Advance();
        }

        if (answers.Count > 4096)
        {
            foreach (var entry in answers)
            {
                if (entry.Value.Until <= now)
                {
                    answers.TryRemove(entry);
                }
            }
        }
    }

    private sealed record CachedAnswer(RevocationStatus Status, DateTimeOffset Until);

    [LoggerMessage(EventId = EventIds.OcspAnswerUnusable, EventName = nameof(EventIds.OcspAnswerUnusable), Level = LogLevel.Warning, Message = "OCSP answer from {Url} not usable: {Detail}")]
    private static partial void LogUnusableAnswer(ILogger logger, Uri url, string detail);
}
