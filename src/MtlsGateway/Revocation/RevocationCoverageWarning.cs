namespace MtlsGateway.Revocation;

/// <summary>Says at start, one line per anchor, which trust anchors no revocation source can answer for under Require.</summary>
internal sealed partial class RevocationCoverageWarning(RevocationCoverage coverage, ILogger<RevocationCoverageWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var anchor in coverage.UncoveredAnchors())
        {
            LogUncovered(logger, anchor);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = EventIds.TrustAnchorWithoutRevocationSource, EventName = nameof(EventIds.TrustAnchorWithoutRevocationSource), Level = LogLevel.Warning, Message = "Trust anchor {Anchor}: no revocation source can answer for its clients (Revocation:Mode Require, no CRL file from it, FetchCrls and Ocsp off); every client it issued is refused revocation-unknown")]
    private static partial void LogUncovered(ILogger logger, string anchor);
}
