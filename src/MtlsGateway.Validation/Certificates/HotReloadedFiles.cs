using Microsoft.Extensions.Logging;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Validation.Certificates;

/// <summary>
/// Data loaded from configured files and folders (a trust list, a set of CRLs), replaced when the files change: the
/// one hot-reload logic of the gateway, which the trust list and the CRL files only name and describe.
/// A replacement that cannot be loaded (a half-written file, a folder that became unreadable or vanished) keeps the
/// last good data, logs one line and sets <see cref="LastError"/> until the files load again, so readiness can say
/// what is wrong; nothing a file does can end the process. A real change advances the <see cref="ValidationEpoch"/>,
/// so verdicts based on the old data are recomputed.
/// </summary>
/// <typeparam name="T">The loaded data.</typeparam>
public abstract partial class HotReloadedFiles<T> : IDisposable
    where T : class
{
    private readonly string name;
    private readonly Func<T> load;
    private readonly Func<T, string> fingerprintOf;
    private readonly Func<T, string> describe;
    private readonly Func<T, IEnumerable<string>> warningsOf;
    private readonly ValidationEpoch epoch;
    private readonly ILogger logger;
    private readonly FileSetWatcher watcher;
    private readonly Lock reloading = new();
    private volatile T current;
    private volatile string? lastError;

    /// <param name="name">What the files hold, for log lines ("Trust list", "CRL files").</param>
    /// <param name="load">Reads the files; throws <see cref="CertificateSourceException"/> when they cannot be used.</param>
    /// <param name="warningsOf">What to log as warnings each time a version takes effect.</param>
    /// <exception cref="CertificateSourceException">The initial load failed: the gateway must not start.</exception>
    protected HotReloadedFiles(
        string name,
        IReadOnlyList<string> entries,
        Func<T> load,
        Func<T, string> fingerprintOf,
        Func<T, string> describe,
        Func<T, IEnumerable<string>>? warningsOf,
        TimeSpan recheckInterval,
        ValidationEpoch epoch,
        ILogger logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(fingerprintOf);
        ArgumentNullException.ThrowIfNull(describe);
        this.name = name;
        this.load = load;
        this.fingerprintOf = fingerprintOf;
        this.describe = describe;
        this.warningsOf = warningsOf ?? (_ => []);
        this.epoch = epoch;
        this.logger = logger;
        current = load();
        Announce(current);
        watcher = new FileSetWatcher(entries, fingerprintOf(current), recheckInterval, Reload, logger, timeProvider);
    }

    /// <summary>Raised after new data took effect. A handler that throws is logged; it never stops the reload.</summary>
    public event Action<T>? Changed;

    public T Current => current;

    /// <summary>
    /// Why the newest files could not be loaded (naming the file or folder and the problem), while the last good data
    /// serves; null while the data in use is current.
    /// </summary>
    public string? LastError => lastError;

    /// <summary>The folders whose events are watched now.</summary>
    public IReadOnlyCollection<string> WatchedDirectories => watcher.WatchedDirectories;

    /// <summary>Loads the files now. Never throws: a failure is <see cref="LastError"/> and one log line.</summary>
    public void Reload()
    {
        // File events and the periodic re-check can fire together; one reload at a time keeps the epoch honest.
        lock (reloading)
        {
            ReloadNow();
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            watcher.Dispose();
        }
    }

    private void ReloadNow()
    {
        T replacement;
        try
        {
            replacement = load();
        }
        catch (Exception e)
        {
            // CertificateSourceException names the file and problem; anything else is reported by type, still one line.
            var problem = e is CertificateSourceException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            if (problem != lastError)
            {
                LogReloadFailed(logger, name, problem);
            }

            lastError = problem;
            return;
        }

        if (lastError is not null)
        {
            LogRecovered(logger, name);
        }

        lastError = null;
        if (fingerprintOf(replacement) == fingerprintOf(current))
        {
            return;
        }

        current = replacement;
        epoch.Advance();
        Announce(replacement);
        foreach (var handler in Changed?.GetInvocationList().Cast<Action<T>>() ?? [])
        {
            try
            {
                handler(replacement);
            }
            catch (Exception e)
            {
                LogChangedHandlerFailed(logger, name, $"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    private void Announce(T loaded)
    {
        var description = describe(loaded);
        LogLoaded(logger, name, description);
        foreach (var warning in warningsOf(loaded))
        {
            LogWarning(logger, name, warning);
        }
    }

    [LoggerMessage(EventId = EventIds.FilesReloadFailed, EventName = nameof(EventIds.FilesReloadFailed), Level = LogLevel.Error, Message = "{Name} reload failed, keeping the last good version: {Problem}")]
    private static partial void LogReloadFailed(ILogger logger, string name, string problem);

    [LoggerMessage(EventId = EventIds.FilesLoaded, EventName = nameof(EventIds.FilesLoaded), Level = LogLevel.Information, Message = "{Name} loaded: {Description}")]
    private static partial void LogLoaded(ILogger logger, string name, string description);

    [LoggerMessage(EventId = EventIds.FilesReadAgain, EventName = nameof(EventIds.FilesReadAgain), Level = LogLevel.Information, Message = "{Name} can be read again; the files in use are current")]
    private static partial void LogRecovered(ILogger logger, string name);

    [LoggerMessage(EventId = EventIds.FilesWarning, EventName = nameof(EventIds.FilesWarning), Level = LogLevel.Warning, Message = "{Name}: {Warning}")]
    private static partial void LogWarning(ILogger logger, string name, string warning);

    [LoggerMessage(EventId = EventIds.FilesChangedHandlerFailed, EventName = nameof(EventIds.FilesChangedHandlerFailed), Level = LogLevel.Error, Message = "{Name}: a handler of the new version failed ({Problem})")]
    private static partial void LogChangedHandlerFailed(ILogger logger, string name, string problem);
}
