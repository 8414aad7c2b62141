using Microsoft.Extensions.Logging;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>Holds the CRLs of the configured files and folders and replaces them when the files change (see <see cref="HotReloadedFiles{T}"/>).</summary>
public sealed class CrlFileStore : IDisposable
{
    private readonly HotReloadedFiles<CrlSet> files;

    /// <exception cref="CertificateSourceException">The initial load failed: the gateway must not start.</exception>
    public CrlFileStore(IReadOnlyList<string> entries, TimeSpan recheckInterval, ValidationEpoch epoch, ILogger logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(entries);
        files = new HotReloadedFiles<CrlSet>(
            "CRL files",
            entries,
            () => CrlSet.Load(entries),
            crls => crls.Fingerprint,
            crls => $"{crls.All.Count} CRLs with {crls.EntryCount} entries",
            recheckInterval,
            epoch,
            logger,
            timeProvider);
    }

    /// <summary>Raised after a new set of CRLs took effect.</summary>
    public event Action<CrlSet>? Changed
    {
        add => files.Changed += value;
        remove => files.Changed -= value;
    }

    public CrlSet Current => files.Current;

    /// <summary>The problem with the newest files when they could not be loaded; null while the files in use are current.</summary>
    public string? LastError => files.LastError;

    /// <summary>What telemetry reports per CRL.</summary>
    public IReadOnlyList<CrlSummary> Summaries() =>
        [.. Current.All.Select(crl => new CrlSummary(crl.Issuer.Name, crl.ThisUpdate, crl.NextUpdate, crl.Count, crl.CrlNumber))];

    public void Reload() => files.Reload();

    public void Dispose() => files.Dispose();
}
