using Microsoft.Extensions.Logging;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Validation.Certificates;

/// <summary>
/// Data loaded from configured files and folders (a trust list, a set of CRLs), replaced when the files change.
/// A broken replacement keeps the last good data and logs an error, so a half-written file neither locks every
/// client out nor is half-used. A real change advances the <see cref="ValidationEpoch"/>, so verdicts based on the
/// old data are recomputed.
/// </summary>
/// <typeparam name="T">The loaded data.</typeparam>
public sealed partial class HotReloadedFiles<T> : IDisposable
    where T : class
{
    private readonly string name;
    private readonly Func<T> load;
    private readonly Func<T, string> fingerprintOf;
    private readonly Func<T, string> describe;
    private readonly ValidationEpoch epoch;
    private readonly ILogger logger;
    private readonly FileSetWatcher watcher;
    private readonly Lock reloading = new();
    private volatile T current;

    /// <param name="name">What the files hold, for log lines ("Trust list", "CRL files").</param>
    /// <param name="load">Reads the files; throws <see cref="CertificateSourceException"/> when they cannot be used.</param>
    /// <exception cref="CertificateSourceException">The initial load failed: the gateway must not start.</exception>
    public HotReloadedFiles(
        string name,
        IReadOnlyList<string> entries,
        Func<T> load,
        Func<T, string> fingerprintOf,
        Func<T, string> describe,
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
        this.epoch = epoch;
        this.logger = logger;
        current = load();
        var description = describe(current);
        LogLoaded(logger, name, description);
        watcher = new FileSetWatcher(entries, fingerprintOf(current), recheckInterval, Reload, logger, timeProvider);
    }

    /// <summary>Raised after new data took effect.</summary>
    public event Action<T>? Changed;

    public T Current => current;

    /// <summary>The problem with the newest files when they could not be loaded; null while the files in use are current.</summary>
    public string? LastError { get; private set; }

    public void Reload()
    {
        // File events and the periodic re-check can fire together; one reload at a time keeps the epoch honest.
        lock (reloading)
        {
            ReloadNow();
        }
    }

    public void Dispose() => watcher.Dispose();

    private void ReloadNow()
    {
        T replacement;
        try
        {
            replacement = load();
        }
        catch (CertificateSourceException e)
        {
            LastError = e.Message;
            LogReloadFailed(logger, name, e.Message);
            return;
        }

        LastError = null;
        if (fingerprintOf(replacement) == fingerprintOf(current))
        {
            return;
        }

        current = replacement;
        epoch.Advance();
        var description = describe(replacement);
        LogLoaded(logger, name, description);
        Changed?.Invoke(replacement);
    }

    [LoggerMessage(EventId = EventIds.FilesReloadFailed, EventName = nameof(EventIds.FilesReloadFailed), Level = LogLevel.Error, Message = "{Name} reload failed, keeping the last good version: {Problem}")]
    private static partial void LogReloadFailed(ILogger logger, string name, string problem);

    [LoggerMessage(EventId = EventIds.FilesLoaded, EventName = nameof(EventIds.FilesLoaded), Level = LogLevel.Information, Message = "{Name} loaded: {Description}")]
    private static partial void LogLoaded(ILogger logger, string name, string description);
}
