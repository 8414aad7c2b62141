using Microsoft.Extensions.Logging;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>The CRLs of the configured files and folders, replaced when the files change (see <see cref="HotReloadedFiles{T}"/>).</summary>
public sealed class CrlFileStore(IReadOnlyList<string> entries, TimeSpan recheckInterval, ValidationEpoch epoch, ILogger logger, TimeProvider timeProvider)
    : HotReloadedFiles<CrlSet>(
        "CRL files",
        entries,
        () => CrlSet.Load(entries),
        crls => crls.Fingerprint,
        crls => $"{crls.All.Count} CRLs with {crls.EntryCount} entries",
        null,
        recheckInterval,
        epoch,
        logger,
        timeProvider)
{
    /// <summary>What telemetry reports per CRL.</summary>
    public IReadOnlyList<CrlSummary> Summaries() =>
        [.. Current.All.Select(crl => new CrlSummary(crl.Issuer.Name, crl.ThisUpdate, crl.NextUpdate, crl.Count, crl.CrlNumber))];
}
