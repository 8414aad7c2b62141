using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace MtlsGateway.Validation.Certificates;

/// <summary>
/// Watches a set of configured files and folders and calls back when their content changes.
/// File-system events are only a hint (they are lost on some volumes and for Kubernetes' symlink swaps), so a periodic
/// re-check compares a fingerprint of the content as well; an unchanged fingerprint never triggers a reload.
/// </summary>
public sealed partial class FileSetWatcher : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<string> entries;
    private readonly Action onChanged;
    private readonly ILogger logger;
    private readonly List<FileSystemWatcher> watchers = [];
    private readonly ITimer periodic;
    private readonly ITimer debounced;
    private readonly Lock gate = new();
    private string lastFingerprint;

    public FileSetWatcher(IReadOnlyList<string> entries, string initialFingerprint, TimeSpan recheckInterval, Action onChanged, ILogger logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.entries = entries;
        this.onChanged = onChanged;
        this.logger = logger;
        lastFingerprint = initialFingerprint;
        debounced = timeProvider.CreateTimer(_ => CheckNow(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        periodic = timeProvider.CreateTimer(_ => CheckNow(), null, recheckInterval, recheckInterval);
        foreach (var directory in WatchedDirectories(entries))
        {
            try
            {
                var watcher = new FileSystemWatcher(directory) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName };
                watcher.Changed += OnEvent;
                watcher.Created += OnEvent;
                watcher.Deleted += OnEvent;
                watcher.Renamed += OnEvent;
                watcher.EnableRaisingEvents = true;
                watchers.Add(watcher);
            }
            catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
            {
                LogWatchUnavailable(logger, directory, e.Message);
            }
        }
    }

    /// <summary>
    /// A fingerprint of what the entries hold now: file names and contents. Missing entries are part of it, so a file
    /// that disappears and comes back is noticed.
    /// </summary>
    public static string Fingerprint(IEnumerable<string> entries)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entry in entries)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(entry + "\n"));
            IEnumerable<string> files = Directory.Exists(entry)
                ? Directory.EnumerateFiles(entry).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
                : [entry];
            foreach (var file in files)
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(file + "\n"));
                try
                {
                    hash.AppendData(File.ReadAllBytes(file));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    hash.AppendData("<unreadable>"u8);
                }
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    public void Dispose()
    {
        foreach (var watcher in watchers)
        {
            watcher.Dispose();
        }

        periodic.Dispose();
        debounced.Dispose();
    }

    private static IEnumerable<string> WatchedDirectories(IEnumerable<string> entries) =>
        entries.Select(entry => Directory.Exists(entry) ? entry : Path.GetDirectoryName(Path.GetFullPath(entry)))
            .OfType<string>()
            .Where(Directory.Exists)
            .Distinct(StringComparer.Ordinal);

    private void OnEvent(object sender, FileSystemEventArgs e) => debounced.Change(Debounce, Timeout.InfiniteTimeSpan);

    private void CheckNow()
    {
        lock (gate)
        {
            var fingerprint = Fingerprint(entries);
            if (fingerprint == lastFingerprint)
            {
                return;
            }

            lastFingerprint = fingerprint;
        }

        onChanged();
    }

    [LoggerMessage(EventId = EventIds.FolderNotWatched, EventName = nameof(EventIds.FolderNotWatched), Level = LogLevel.Warning, Message = "Cannot watch {Directory} for changes ({Problem}); relying on the periodic re-check")]
    private static partial void LogWatchUnavailable(ILogger logger, string directory, string problem);
}
