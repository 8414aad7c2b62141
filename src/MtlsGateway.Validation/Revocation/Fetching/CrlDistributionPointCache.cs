using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>
/// Downloads CRLs from distribution points, keeps the raw DER in memory and on disk (written atomically, so a crash
/// never leaves half a CRL), and refreshes each one in the background before its nextUpdate. The request path does
/// no network I/O while a fresh CRL is cached. A replaced CRL advances the <see cref="ValidationEpoch"/>.
/// </summary>
public sealed partial class CrlDistributionPointCache<TCrl> : IDisposable
    where TCrl : class
{
    private readonly RevocationFetcher fetcher;
    private readonly CrlReader<TCrl> read;
    private readonly CrlDistributionPointCacheOptions options;
    private readonly ValidationEpoch epoch;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<CrlDownload<TCrl>>>> downloads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> diskRead = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private volatile bool disposed;

    public CrlDistributionPointCache(RevocationFetcher fetcher, CrlReader<TCrl> read, CrlDistributionPointCacheOptions options, ValidationEpoch epoch, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(fetcher);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(options);
        this.fetcher = fetcher;
        this.read = read;
        this.options = options;
        this.epoch = epoch;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>Raised when a CRL for a URL appears or is replaced by a different one.</summary>
    public event Action<CachedCrl<TCrl>>? CrlChanged;

    /// <summary>The CRLs held now, for the status page and telemetry (each one's nextUpdate).</summary>
    public IReadOnlyList<CachedCrl<TCrl>> Snapshot() => [.. entries.Values.Select(entry => entry.Cached)];

    public async ValueTask<CrlDownload<TCrl>> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var key = url.AbsoluteUri;
        var now = timeProvider.GetUtcNow();
        // The disk is read once per URL and process: a missing or broken file must not cost I/O on every request.
        if (!entries.TryGetValue(key, out var entry) && diskRead.TryAdd(key, true))
        {
            entry = LoadFromDisk(url);
        }

        if (entry is not null && (now < entry.Cached.NextUpdate || now - entry.LastAttempt < options.RetryInterval))
        {
            return new CrlDownload<TCrl>(entry.Cached, null);
        }

        return await DownloadSharedAsync(url).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        disposed = true;
        foreach (var entry in entries.Values)
        {
            entry.Timer?.Dispose();
        }
    }

    private Task<CrlDownload<TCrl>> DownloadSharedAsync(Uri url)
    {
        Lazy<Task<CrlDownload<TCrl>>>? created = null;
        created = new Lazy<Task<CrlDownload<TCrl>>>(() => DownloadAsync(url, created!));
        return downloads.GetOrAdd(url.AbsoluteUri, created).Value;
    }

    private async Task<CrlDownload<TCrl>> DownloadAsync(Uri url, Lazy<Task<CrlDownload<TCrl>>> self)
    {
        var key = url.AbsoluteUri;
        try
        {
            var fetched = await fetcher.GetAsync(url, RevocationFetchKind.Crl, CancellationToken.None).ConfigureAwait(false);
            entries.TryGetValue(key, out var previous);
            if (!fetched.Succeeded)
            {
                return Failed(url, previous, fetched.Detail);
            }

            var parsed = TryRead(fetched.Body!);
            return parsed is null
                ? Failed(url, previous, $"{url} did not serve a usable CRL")
                : Store(url, fetched.Body!, parsed);
        }
        finally
        {
            downloads.TryRemove(new KeyValuePair<string, Lazy<Task<CrlDownload<TCrl>>>>(key, self));
        }
    }

    private ParsedCrl<TCrl>? TryRead(byte[] der)
    {
        try
        {
            return read(der);
        }
#pragma warning disable CA1031 // Foreign parsing code: whatever it throws, the bytes are not a usable CRL.
        catch (Exception)
        {
            return null;
        }
#pragma warning restore CA1031
    }

    private CrlDownload<TCrl> Failed(Uri url, Entry? previous, string problem)
    {
        if (previous is not null)
        {
            previous.LastAttempt = timeProvider.GetUtcNow();
            Schedule(url, previous, previous.LastAttempt + options.RetryInterval);
        }

        return new CrlDownload<TCrl>(previous?.Cached, problem);
    }

    private CrlDownload<TCrl> Store(Uri url, byte[] der, ParsedCrl<TCrl> parsed)
    {
        var now = timeProvider.GetUtcNow();
        var key = url.AbsoluteUri;
        var nextUpdate = parsed.NextUpdate;
        Entry entry;
        lock (gate)
        {
            entries.TryGetValue(key, out var previous);
            if (previous is not null && (previous.Cached.Der.AsSpan().SequenceEqual(der) || nextUpdate < previous.Cached.NextUpdate))
            {
                if (nextUpdate < previous.Cached.NextUpdate)
                {
                    LogOlderCrlIgnored(logger, url, nextUpdate, previous.Cached.NextUpdate);
                }

                previous.LastAttempt = now;
                Schedule(url, previous, RefreshTime(now, previous.Cached.NextUpdate));
                return new CrlDownload<TCrl>(previous.Cached, null);
            }

            entry = new Entry(new CachedCrl<TCrl>(url, der, parsed.Crl, nextUpdate, now)) { LastAttempt = now, Timer = previous?.Timer };
            entries[key] = entry;
            epoch.Advance();
            Schedule(url, entry, RefreshTime(now, nextUpdate));
        }

        LogCrlStored(logger, url, der.Length, nextUpdate);
        SaveToDisk(url, der);
        CrlChanged?.Invoke(entry.Cached);
        return new CrlDownload<TCrl>(entry.Cached, null);
    }

    private DateTimeOffset RefreshTime(DateTimeOffset now, DateTimeOffset nextUpdate)
    {
        var ahead = nextUpdate - options.RefreshAhead;
        var earliest = now + options.RetryInterval;
        return ahead > earliest ? ahead : earliest;
    }

    private void Schedule(Uri url, Entry entry, DateTimeOffset when)
    {
        if (disposed)
        {
            return;
        }

        var due = when - timeProvider.GetUtcNow();
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        lock (entry)
        {
            entry.Timer ??= timeProvider.CreateTimer(_ => RefreshInBackground(url), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            entry.Timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void RefreshInBackground(Uri url)
    {
        if (!disposed)
        {
            _ = RefreshAsync(url);
        }
    }

    /// <summary>
    /// Download failures are logged by the fetcher and rescheduled by Failed. Anything else (a CrlChanged handler, a
    /// reader) must neither escape a timer thread nor leave the URL without its next refresh: it is retried like a failure.
    /// </summary>
    private async Task RefreshAsync(Uri url)
    {
        try
        {
            await DownloadSharedAsync(url).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A background refresh reports and retries whatever it met.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogRefreshFailed(logger, url, $"{e.GetType().Name}: {e.Message}");
            if (entries.TryGetValue(url.AbsoluteUri, out var entry))
            {
                Schedule(url, entry, timeProvider.GetUtcNow() + options.RetryInterval);
            }
        }
    }

    private Entry? LoadFromDisk(Uri url)
    {
        var file = CacheFileOf(url);
        if (file is null || !File.Exists(file))
        {
            return null;
        }

        try
        {
            var der = File.ReadAllBytes(file);
            var parsed = der.Length <= fetcher.Options.MaxCrlBytes ? TryRead(der) : null;
            if (parsed is null)
            {
                LogDiskCrlUnusable(logger, url, file);
                return null;
            }

            var retrieved = new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero);
            var entry = new Entry(new CachedCrl<TCrl>(url, der, parsed.Crl, parsed.NextUpdate, retrieved)) { LastAttempt = DateTimeOffset.MinValue };
            if (entries.TryAdd(url.AbsoluteUri, entry))
            {
                epoch.Advance();
                Schedule(url, entry, RefreshTime(timeProvider.GetUtcNow(), parsed.NextUpdate));
                return entry;
            }

            return entries.TryGetValue(url.AbsoluteUri, out var winner) ? winner : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogDiskCrlUnusable(logger, url, file);
            return null;
        }
    }

    private void SaveToDisk(Uri url, byte[] der)
    {
        var file = CacheFileOf(url);
        if (file is null)
        {
            return;
        }

        var temporary = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Directory.CreateDirectory(options.CacheFolder!);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(der);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogDiskWriteFailed(logger, url, e.Message);
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                LogDiskWriteFailed(logger, url, cleanup.Message);
            }
        }
    }

    /// <summary>The cache file of a URL: a hash of it, so any URL makes a safe file name.</summary>
    public string? CacheFileOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return options.CacheFolder is null
            ? null
            : Path.Combine(options.CacheFolder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri))) + ".crl");
    }

    private sealed class Entry(CachedCrl<TCrl> cached)
    {
        public CachedCrl<TCrl> Cached { get; } = cached;

        public DateTimeOffset LastAttempt { get; set; }

        public ITimer? Timer { get; set; }
    }

    [LoggerMessage(EventId = EventIds.CrlRefreshFailed, EventName = nameof(EventIds.CrlRefreshFailed), Level = LogLevel.Error, Message = "Background refresh of the CRL from {Url} failed ({Problem}); retried later")]
    private static partial void LogRefreshFailed(ILogger logger, Uri url, string problem);

    [LoggerMessage(EventId = EventIds.CrlStored, EventName = nameof(EventIds.CrlStored), Level = LogLevel.Information, Message = "CRL from {Url} stored: {Bytes} bytes, nextUpdate {NextUpdate:o}")]
    private static partial void LogCrlStored(ILogger logger, Uri url, int bytes, DateTimeOffset nextUpdate);

    [LoggerMessage(EventId = EventIds.OlderCrlIgnored, EventName = nameof(EventIds.OlderCrlIgnored), Level = LogLevel.Warning, Message = "CRL from {Url} is older (nextUpdate {Offered:o}) than the one held (nextUpdate {Held:o}); keeping the one held")]
    private static partial void LogOlderCrlIgnored(ILogger logger, Uri url, DateTimeOffset offered, DateTimeOffset held);

    [LoggerMessage(EventId = EventIds.CachedCrlUnusable, EventName = nameof(EventIds.CachedCrlUnusable), Level = LogLevel.Warning, Message = "Cached CRL file {File} for {Url} is not a usable CRL; ignoring it")]
    private static partial void LogDiskCrlUnusable(ILogger logger, Uri url, string file);

    [LoggerMessage(EventId = EventIds.CrlCacheWriteFailed, EventName = nameof(EventIds.CrlCacheWriteFailed), Level = LogLevel.Warning, Message = "Could not write the CRL from {Url} to the cache folder: {Problem}")]
    private static partial void LogDiskWriteFailed(ILogger logger, Uri url, string problem);
}
