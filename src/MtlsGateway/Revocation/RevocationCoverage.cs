using Microsoft.Extensions.Options;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Trust;

namespace MtlsGateway.Revocation;

/// <summary>
/// Under <c>Mode: Require</c> with neither CRL downloads nor OCSP, the CRL files are the only source: a trust anchor
/// with no CRL file of its own (by issuer name) has every client refused <c>revocation-unknown</c>. Names those anchors,
/// for the start-up warning, readiness and <c>/status</c>. With downloads or OCSP on, whether a client's certificate
/// points at a source is only known per certificate, so nothing is reported.
/// </summary>
internal sealed class RevocationCoverage(RevocationSources sources, TrustListProvider trustList, IOptions<RevocationOptions> options)
{
    /// <summary>The subjects of the anchors no configured source can answer for (empty when every one is covered or it cannot be known).</summary>
    public IReadOnlyList<string> UncoveredAnchors()
    {
        var settings = options.Value;
        if (settings.Mode != RevocationMode.Require || settings.FetchCrls || settings.Ocsp)
        {
            return [];
        }

        var crls = sources.CrlFiles?.Current;
        return [.. trustList.Current.Anchors
            .Where(anchor => crls is null || crls.IssuedBy(anchor.SubjectName.RawData).Count == 0)
            .Select(anchor => anchor.Subject)];
    }

    /// <summary>Whether any anchor is covered at all (false: every client is refused).</summary>
    public bool NoneCovered(IReadOnlyList<string> uncovered) => uncovered.Count > 0 && uncovered.Count == trustList.Current.Anchors.Count;
}
