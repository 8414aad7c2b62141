using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace MtlsGateway.Validation.Certificates;

/// <summary>
/// Watches a set of configured files and folders and calls back when their content changes.
/// File-system events are only a hint (they are lost on some volumes and for Kubernetes' symlink swaps), so a periodic
/// re-check compares a fingerprint of the content as well; an unchanged fingerprint never triggers a reload.
/// A watched folder that is deleted, recreated or renamed is watched again at the next event of its parent folder, so
/// a change after that applies within the debounce, not the periodic re-check. Nothing that happens to the files ends
/// the process: a check that fails is logged and the next one tries again.
/// </summary>
public sealed partial class FileSetWatcher : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<string> entries;
    private readonly Action onChanged;
    private readonly ILogger logger;
    private readonly Dictionary<string, FileSystemWatcher> watchers = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> stale = new(StringComparer.Ordinal);
    private readonly HashSet<string> reportedUnwatchable = new(StringComparer.Ordinal);
    private readonly ITimer periodic;
    private readonly ITimer debounced;
    private readonly Lock gate = new();
    private string lastFingerprint;
    private string? lastCheckProblem;
    private bool disposed;

    public FileSetWatcher(IReadOnlyList<string> entries, string initialFingerprint, TimeSpan recheckInterval, Action onChanged, ILogger logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.entries = [.. entries.Select(Path.GetFullPath)];
        this.onChanged = onChanged;
        this.logger = logger;
        lastFingerprint = initialFingerprint;
        debounced = timeProvider.CreateTimer(_ => CheckNow(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        periodic = timeProvider.CreateTimer(_ => CheckNow(), null, recheckInterval, recheckInterval);
        lock (gate)
        {
            Arm();
        }
    }

    /// <summary>The folders file-system events are taken from now (for tests and diagnostics).</summary>
    public IReadOnlyCollection<string> WatchedDirectories
    {
        get
        {
            lock (gate)
            {
                return [.. watchers.Keys];
            }
        }
    }

    /// <summary>
    /// A fingerprint of what the entries hold now: file names and contents. Missing and unreadable entries are part of
    /// it, so a file that disappears and comes back, or a folder that becomes readable again, is noticed. Never throws.
    /// </summary>
    public static string Fingerprint(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entry in entries)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(entry + "\n"));
            IEnumerable<string> files;
            try
            {
                files = Directory.Exists(entry) ? CertificateFiles.FilesIn(entry) : [entry];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CertificateSourceException)
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes("<unreadable folder: " + e.GetType().Name + ">\n"));
                continue;
            }

            foreach (var file in files)
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(file + "\n"));
                try
                {
                    if (BoundedFile.Stream(file, BoundedFile.CrlLimit, hash.AppendData))
                    {
                        hash.AppendData("<too large>"u8);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    hash.AppendData(System.Text.Encoding.UTF8.GetBytes("<unreadable: " + e.GetType().Name + ">"));
                }
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>Checks the files now, as a file event or the periodic re-check would.</summary>
    public void CheckNow()
    {
        // Runs on timer threads: an exception escaping here would end the process.
        try
        {
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                Arm();
                var fingerprint = Fingerprint(entries);
                if (fingerprint == lastFingerprint)
                {
                    return;
                }

                lastFingerprint = fingerprint;
            }

            onChanged();
            lastCheckProblem = null;
        }
        catch (Exception e)
        {
            var problem = e.GetType().Name + ": " + e.Message;
            if (problem != lastCheckProblem)
            {
                lastCheckProblem = problem;
                LogCheckFailed(logger, string.Join(", ", entries), problem);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            foreach (var watcher in watchers.Values)
            {
                watcher.Dispose();
            }

            watchers.Clear();
        }

        periodic.Dispose();
        debounced.Dispose();
    }

    /// <summary>
    /// Each entry's folder (the entry itself, or the folder of a file entry) is watched for any change, and its parent
    /// for the folder's own name: that is how a deleted or recreated folder is noticed and watched again.
    /// </summary>
    private List<(string Directory, string? NameFilter)> Wanted()
    {
        var folders = entries.Select(entry => Directory.Exists(entry) ? entry : Path.GetDirectoryName(entry)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var wanted = folders.Select(folder => (folder, (string?)null)).ToList();
        foreach (var folder in folders)
        {
            if (Path.GetDirectoryName(folder) is { } parent && !folders.Contains(parent, StringComparer.Ordinal) && !wanted.Any(w => w.Item1 == parent))
            {
                wanted.Add((parent, Path.GetFileName(folder)));
            }
        }

        return wanted;
    }

    private void Arm()
    {
        foreach (var directory in stale.Keys)
        {
            if (stale.TryRemove(directory, out _) && watchers.Remove(directory, out var gone))
            {
                gone.Dispose();
            }
        }
        foreach (var (directory, nameFilter) in Wanted())
        {
            if (watchers.ContainsKey(directory) || !Directory.Exists(directory))
            {
                continue;
            }

            try
            {
                var watcher = new FileSystemWatcher(directory)
                {
                    IncludeSubdirectories = false,
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName,
                };

                // In a parent folder only the entry folder's own name matters (two entry folders under one parent
                // are rare; the periodic re-check covers the second).
                if (nameFilter is not null)
                {
                    watcher.Filter = nameFilter;
                }

                watcher.Changed += OnEvent;
                watcher.Created += OnEvent;
                watcher.Deleted += OnEvent;
                watcher.Renamed += OnEvent;
                watcher.Error += (_, _) => MarkStale(directory);
                watcher.EnableRaisingEvents = true;
                watchers[directory] = watcher;
                reportedUnwatchable.Remove(directory);
            }
            catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
            {
                if (reportedUnwatchable.Add(directory))
                {
                    LogWatchUnavailable(logger, directory, e.Message);
                }
            }
        }
    }

    private void OnEvent(object sender, FileSystemEventArgs e)
    {
        // A watched folder deleted, recreated or renamed, as its parent sees it: its own watcher is dead.
        MarkStale(e.FullPath);
        if (e is RenamedEventArgs renamed)
        {
            MarkStale(renamed.OldFullPath);
        }
    }

    /// <summary>Not under the gate: a watcher's event thread must never wait for a check that is disposing that watcher.</summary>
    private void MarkStale(string path)
    {
        stale[path] = true;

        try
        {
            debounced.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // An event that raced the disposal.
        }
    }

    [LoggerMessage(EventId = EventIds.FolderNotWatched, EventName = nameof(EventIds.FolderNotWatched), Level = LogLevel.Warning, Message = "Cannot watch {Directory} for changes ({Problem}); relying on the periodic re-check")]
    private static partial void LogWatchUnavailable(ILogger logger, string directory, string problem);

    [LoggerMessage(EventId = EventIds.FilesCheckFailed, EventName = nameof(EventIds.FilesCheckFailed), Level = LogLevel.Error, Message = "Checking {Entries} for changes failed ({Problem}); the data in use stays and the next check tries again")]
    private static partial void LogCheckFailed(ILogger logger, string entries, string problem);
}
