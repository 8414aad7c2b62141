namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// Picks the delta CRL to apply to a complete CRL (RFC 5280 5.2.4 and 6.3.3 c and h). A delta applies when it has
/// the same issuer, scope (issuingDistributionPoint) and key as its base, is current, is signed by the key that signed
/// the base, is newer than the base (CRL number), and its BaseCRLNumber is not beyond the base's CRL number.
/// The newest such delta is used. Fail closed: when the newest current delta cannot be applied (it was built on a
/// newer complete CRL than the one at hand), or the complete CRL announces deltas (freshestCRL) or the CA published
/// newer deltas for it and none is current, the complete CRL alone does not tell the current status.
/// </summary>
internal static class DeltaCrls
{
    /// <param name="candidates">CRLs of the base's issuer, newest first (deltas among them are considered).</param>
    /// <param name="signers">Verifies the deltas' signatures (with the crypto minimums in force).</param>
    /// <returns>The delta to apply (null: none), or why the complete CRL cannot be used.</returns>
    public static (CertificateRevocationList? Delta, string? Problem) Select(
        CertificateRevocationList complete, IReadOnlyList<CertificateRevocationList> candidates, CrlSignature signature, CrlSigners signers, DateTimeOffset time, TimeSpan clockSkew)
    {
        CertificateRevocationList? newest = null;
        var newerInformation = false;
        List<string>? skipped = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            var delta = candidates[i];
            if (!delta.IsDelta || !SameScope(complete, delta))
            {
                continue;
            }

            if (complete.CrlNumber is { } baseNumber && delta.CrlNumber is { } deltaNumber && deltaNumber <= baseNumber)
            {
                // The complete CRL already holds what this delta says.
                continue;
            }

            if (signers.Verify(delta, signature.Signer!, signature.Ancestors) is { } signatureProblem)
            {
                // Not the CA's: it neither applies nor says anything about what the CA published.
                (skipped ??= []).Add($"delta CRL {delta.CrlNumber}: {signatureProblem} (a delta CRL must be signed with its base CRL's key)");
                continue;
            }

            // The CA published changes newer than the complete CRL: without a current delta, they are unknown.
            newerInformation = true;
            var problem = delta.UnusableBecause is { } unusable ? "cannot be used: " + unusable
                : delta.ThisUpdate > time + clockSkew ? $"is not yet valid (thisUpdate {delta.ThisUpdate:O})"
                : delta.NextUpdate is not { } nextUpdate ? "has no nextUpdate"
                : nextUpdate <= time ? $"is stale (nextUpdate {nextUpdate:O})"
                : null;
            if (problem is not null)
            {
                (skipped ??= []).Add($"delta CRL {delta.CrlNumber} {problem}");
                continue;
            }

            if (newest is null || delta.CrlNumber > newest.CrlNumber)
            {
                newest = delta;
            }
        }

        if (newest is null)
        {
            var why = skipped is null ? string.Empty : ": " + string.Join("; ", skipped);
            return complete.FreshestCrl is not null ? (null, "announces delta CRLs (freshestCRL) but no current delta CRL for it is available" + why)
                : newerInformation ? (null, "has delta CRLs newer than itself, but none is current" + why)
                : (null, null);
        }

        if (complete.CrlNumber is not { } number)
        {
            return (null, $"has no CRL number, so the current delta CRL {newest.CrlNumber} cannot be applied to it");
        }

        return newest.BaseCrlNumber > number
            ? (null, $"is number {number}, but the current delta CRL {newest.CrlNumber} applies to complete CRLs from number {newest.BaseCrlNumber} on: a newer complete CRL exists")
            : (newest, null);
    }

    /// <summary>RFC 5280 6.3.3 (c): same issuer, the same issuingDistributionPoint or none in both, the same key identifier.</summary>
    private static bool SameScope(CertificateRevocationList complete, CertificateRevocationList delta)
    {
        var completeScope = complete.IssuingDistributionPoint?.Encoded;
        var deltaScope = delta.IssuingDistributionPoint?.Encoded;
        if (completeScope is null != deltaScope is null
            || completeScope is { } a && deltaScope is { } b && !a.Span.SequenceEqual(b.Span))
        {
            return false;
        }

        return complete.AuthorityKeyIdentifier is not { } completeKey
            || delta.AuthorityKeyIdentifier is not { } deltaKey
            || completeKey.Span.SequenceEqual(deltaKey.Span);
    }
}
