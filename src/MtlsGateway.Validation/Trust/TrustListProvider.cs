using Microsoft.Extensions.Logging;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Validation.Trust;

/// <summary>The current trust list, replaced when its files change (see <see cref="HotReloadedFiles{T}"/>).</summary>
public sealed class TrustListProvider(IReadOnlyList<string> anchorEntries, IReadOnlyList<string> intermediateEntries, TimeSpan recheckInterval, ValidationEpoch epoch, ILogger logger, TimeProvider timeProvider)
    : HotReloadedFiles<TrustList>(
        "Trust list",
        [.. anchorEntries, .. intermediateEntries],
        () => TrustList.Load(anchorEntries, intermediateEntries, timeProvider.GetUtcNow()),
        trust => trust.Fingerprint,
        trust => $"{trust.Anchors.Count} trust anchors, {trust.Intermediates.Count} intermediates",
        trust => trust.Warnings,
        recheckInterval,
        epoch,
        logger,
        timeProvider);
