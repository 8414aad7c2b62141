using Microsoft.Extensions.Logging;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Validation.Trust;

/// <summary>Holds the current trust list and replaces it when its files change (see <see cref="HotReloadedFiles{T}"/>).</summary>
public sealed partial class TrustListProvider : IDisposable
{
    private readonly HotReloadedFiles<TrustList> files;

    /// <exception cref="CertificateSourceException">The initial load failed: the gateway must not start.</exception>
    public TrustListProvider(IReadOnlyList<string> anchorEntries, IReadOnlyList<string> intermediateEntries, TimeSpan recheckInterval, ValidationEpoch epoch, ILogger logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(anchorEntries);
        ArgumentNullException.ThrowIfNull(intermediateEntries);
        ArgumentNullException.ThrowIfNull(timeProvider);
        files = new HotReloadedFiles<TrustList>(
            "Trust list",
            [.. anchorEntries, .. intermediateEntries],
            () => TrustList.Load(anchorEntries, intermediateEntries, timeProvider.GetUtcNow()),
            trust => trust.Fingerprint,
            trust => $"{trust.Anchors.Count} trust anchors, {trust.Intermediates.Count} intermediates",
            recheckInterval,
            epoch,
            logger,
            timeProvider);
        LogWarnings(logger, files.Current);
        files.Changed += trust => LogWarnings(logger, trust);
    }

    /// <summary>Raised after a new trust list took effect.</summary>
    public event Action<TrustList>? Changed
    {
        add => files.Changed += value;
        remove => files.Changed -= value;
    }

    public TrustList Current => files.Current;

    /// <summary>The problem with the newest files when they could not be loaded; null while the files in use are current.</summary>
    public string? LastError => files.LastError;

    public void Reload() => files.Reload();

    public void Dispose() => files.Dispose();

    private static void LogWarnings(ILogger logger, TrustList trust)
    {
        foreach (var warning in trust.Warnings)
        {
            LogTrustListWarning(logger, warning);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trust list: {Warning}")]
    private static partial void LogTrustListWarning(ILogger logger, string warning);
}
