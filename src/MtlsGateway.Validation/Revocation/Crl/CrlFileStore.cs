using Microsoft.Extensions.Logging;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// Holds the CRLs of the configured files and folders and replaces them when the files change. A broken replacement
/// keeps the last good set and logs an error: a half-written CRL must neither lock every client out nor be half-used.
/// Every change advances the <see cref="ValidationEpoch"/>, so verdicts based on the old CRLs are recomputed.
/// </summary>
public sealed partial class CrlFileStore : IDisposable
{
    private readonly IReadOnlyList<string> entries;
    private readonly ValidationEpoch epoch;
    private readonly ILogger logger;
    private readonly FileSetWatcher watcher;
    private volatile CrlSet current;

    /// <exception cref="CertificateSourceException">The initial load failed: the gateway must not start.</exception>
    public CrlFileStore(IReadOnlyList<string> entries, TimeSpan recheckInterval, ValidationEpoch epoch, ILogger logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(entries);
        this.entries = entries;
        this.epoch = epoch;
        this.logger = logger;
        current = CrlSet.Load(entries);
        LogLoaded(logger, current.All.Count, current.EntryCount);
        watcher = new FileSetWatcher(entries, current.Fingerprint, recheckInterval, Reload, logger, timeProvider);
    }

    /// <summary>Raised after a new set of CRLs took effect.</summary>
    public event Action<CrlSet>? Changed;

    public CrlSet Current => current;

    /// <summary>The problem with the newest files when they could not be loaded; null while the files in use are current.</summary>
    public string? LastError { get; private set; }

    /// <summary>What telemetry reports per CRL.</summary>
    public IReadOnlyList<CrlSummary> Summaries() =>
        [.. current.All.Select(crl => new CrlSummary(crl.Issuer.Name, crl.ThisUpdate, crl.NextUpdate, crl.Count, crl.CrlNumber))];

    public void Reload()
    {
        CrlSet replacement;
        try
        {
            replacement = CrlSet.Load(entries);
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
        LogLoaded(logger, replacement.All.Count, replacement.EntryCount);
        Changed?.Invoke(replacement);
    }

    public void Dispose() => watcher.Dispose();

    [LoggerMessage(Level = LogLevel.Error, Message = "CRL reload failed, keeping the last good CRLs: {Problem}")]
    private static partial void LogReloadFailed(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "CRL files loaded: {CrlCount} CRLs with {EntryCount} entries")]
    private static partial void LogLoaded(ILogger logger, int crlCount, long entryCount);
}

public sealed record CrlSummary(string Issuer, DateTimeOffset ThisUpdate, DateTimeOffset? NextUpdate, int EntryCount, System.Numerics.BigInteger? CrlNumber);
