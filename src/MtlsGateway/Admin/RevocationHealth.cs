using Microsoft.Extensions.Options;
using MtlsGateway.Revocation;
using MtlsGateway.Validation.Revocation;

namespace MtlsGateway.Admin;

/// <summary>
/// Revocation data for readiness and <c>/status</c>. The instance is not ready while its CRL files changed and cannot
/// be loaded (the last good CRLs serve meanwhile, but may lack a revocation). With <c>Mode: Require</c> also while a
/// CRL file is past its nextUpdate and no other source (downloads, OCSP) can answer instead: every client of that issuer
/// would be refused with <c>revocation-unknown</c>. Trust anchors no source can answer for
/// (<see cref="RevocationCoverage"/>) are named in the detail and in <c>/status</c>; when that is every anchor, no
/// client at all can be admitted and the instance is not ready.
/// </summary>
internal sealed class RevocationHealth(RevocationSources sources, RevocationCoverage coverage, IOptions<RevocationOptions> options, TimeProvider timeProvider) : IReadinessContributor, IStatusContributor
{
    public string Name => "revocation";

    public string Section => "revocation";

    public ReadinessResult Check()
    {
        var settings = options.Value;

        // In any mode that reads them: the CRLs in use may lack a revocation the unreadable files hold.
        if (settings.Mode != RevocationMode.Off && sources.CrlFiles is { LastError: { } error })
        {
            return ReadinessResult.Unusable("the CRL files changed and cannot be loaded, the last good ones serve: " + error);
        }

        if (settings.Mode != RevocationMode.Require)
        {
            return ReadinessResult.Usable($"mode {settings.Mode}");
        }

        var now = timeProvider.GetUtcNow();
        var stale = (sources.CrlFiles?.Summaries() ?? []).Where(crl => crl.NextUpdate is { } next && next < now).ToList();
        if (stale.Count > 0 && !settings.FetchCrls && !settings.Ocsp)
        {
            return ReadinessResult.Unusable("CRL past its nextUpdate with no other source enabled: " + string.Join(", ", stale.Select(crl => crl.Issuer)));
        }

        var uncovered = coverage.UncoveredAnchors();
        var uncoveredDetail = uncovered.Count == 0 ? string.Empty : "; no revocation source for trust anchor(s): " + string.Join(" | ", uncovered);
        if (coverage.NoneCovered(uncovered))
        {
            return ReadinessResult.Unusable("every client would be refused revocation-unknown" + uncoveredDetail);
        }

        return ReadinessResult.Usable((stale.Count == 0 ? "mode Require" : $"mode Require; {stale.Count} stale CRL file(s), other sources answer") + uncoveredDetail);
    }

    public object Describe()
    {
        var settings = options.Value;
        var now = timeProvider.GetUtcNow();
        return new
        {
            mode = settings.Mode.ToString(),
            scope = settings.Scope.ToString(),
            anchorsWithoutSource = coverage.UncoveredAnchors(),
            crlFiles = new
            {
                lastError = sources.CrlFiles?.LastError,
                crls = (sources.CrlFiles?.Summaries() ?? []).Select(crl => new
                {
                    issuer = crl.Issuer,
                    thisUpdate = crl.ThisUpdate,
                    nextUpdate = crl.NextUpdate,
                    secondsUntilNextUpdate = crl.NextUpdate is { } next ? Math.Floor((next - now).TotalSeconds) : (double?)null,
                    entries = crl.EntryCount,
                    crlNumber = crl.CrlNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }),
            },
            downloadedCrls = (sources.DownloadedCrls?.Snapshot() ?? []).Select(crl => new
            {
                url = crl.Url.AbsoluteUri,
                retrievedAt = crl.RetrievedAt,
                nextUpdate = crl.NextUpdate,
                secondsUntilNextUpdate = Math.Floor((crl.NextUpdate - now).TotalSeconds),
            }),
            ocsp = sources.OcspClient is { } ocsp
                ? new { enabled = true, cachedAnswers = ocsp.Counts.Entries, hits = ocsp.Counts.Hits, misses = ocsp.Counts.Misses }
                : new { enabled = false, cachedAnswers = 0, hits = 0L, misses = 0L },
        };
    }
}
