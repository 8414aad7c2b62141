using Microsoft.Extensions.Logging;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Validation.Trust;

/// <summary>
/// Holds the current trust list and replaces it when its files change. A broken replacement keeps the last good list
/// and logs an error, so a half-written file never locks every client out.
/// </summary>
public sealed partial class TrustListProvider : IDisposable
{
    private readonly IReadOnlyList<string> anchorEntries;
    private readonly IReadOnlyList<string> intermediateEntries;
    private readonly ValidationEpoch epoch;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly FileSetWatcher watcher;
    private readonly Lock reloading = new();
    private volatile TrustList current;

    /// <exception cref="CertificateSourceException">The initial load failed: the gateway must not start.</exception>
    public TrustListProvider(IReadOnlyList<string> anchorEntries, IReadOnlyList<string> intermediateEntries, TimeSpan recheckInterval, ValidationEpoch epoch, ILogger logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.anchorEntries = anchorEntries;
        this.intermediateEntries = intermediateEntries;
        this.epoch = epoch;
        this.logger = logger;
        this.timeProvider = timeProvider;
        current = TrustList.Load(anchorEntries, intermediateEntries, timeProvider.GetUtcNow());
        LastError = null;
        watcher = new FileSetWatcher([.. anchorEntries, .. intermediateEntries], current.Fingerprint, recheckInterval, Reload, logger, timeProvider);
    }

    /// <summary>Raised after a new trust list took effect.</summary>
    public event Action<TrustList>? Changed;

    public TrustList Current => current;

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
        TrustList replacement;
        try
        {
            replacement = TrustList.Load(anchorEntries, intermediateEntries, timeProvider.GetUtcNow());
        }
        catch (CertificateSourceException e)
        {
            LastError = e.Message;
            LogReloadFailed(logger, e.Message);
            return;
        }

        LastError = null;
        if (replacement.Fingerprint == current.Fingerprint)
        {
            return;
        }

        current = replacement;
        epoch.Advance();
        LogReloaded(logger, replacement.Anchors.Count, replacement.Intermediates.Count);
        Changed?.Invoke(replacement);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Trust list reload failed, keeping the last good trust list: {Problem}")]
    private static partial void LogReloadFailed(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trust list reloaded: {AnchorCount} trust anchors, {IntermediateCount} intermediates")]
    private static partial void LogReloaded(ILogger logger, int anchorCount, int intermediateCount);
}
