using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Crypto;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// Answers "is this certificate of the path revoked?" from a set of CRLs, by RFC 5280 6.3.3. For each of the
/// certificate's distribution points (or the implicit one: its issuer's CRL), the CRLs of the point's CRL issuer are
/// tried newest first. A CRL counts when it is current, covers the certificate (issuer, indirect CRL, distribution
/// point name, user/CA/attribute certificates), adds reasons not yet covered, was signed by an acceptable key
/// (<see cref="CrlSigners"/>), and its current delta CRL, if any, applies (<see cref="DeltaCrls"/>). The certificate
/// is Good only once CRLs covering every reason have been consulted (reason-partitioned CRLs accumulate); Revoked as
/// soon as one lists it; Unknown otherwise, never Good on doubt. Shared by local and fetched CRLs.
/// </summary>
public sealed class CrlStatusEvaluator
{
    private readonly TimeSpan clockSkew;
    private readonly CrlSigners signers;

    /// <param name="clockSkew">Tolerance for a thisUpdate slightly in the future and for a CRL signer's validity window.</param>
    /// <param name="minimums">A CRL (or CRL signer's certificate) signed below these is not relied on; default <see cref="CryptoMinimums.Default"/>.</param>
    public CrlStatusEvaluator(TimeSpan clockSkew, CryptoMinimums? minimums = null)
    {
        this.clockSkew = clockSkew;
        signers = new CrlSigners(clockSkew, minimums ?? CryptoMinimums.Default, Evaluate);
    }

    public RevocationStatus Evaluate(string source, CrlSet crls, CertificatePath path, int index, DateTimeOffset validationTime)
    {
        ArgumentNullException.ThrowIfNull(crls);
        ArgumentNullException.ThrowIfNull(path);
        return Evaluate(new CrlEvaluation(source, crls, validationTime), path, index);
    }

    /// <summary>The RFC 5280 CRLReason names, as operators see them in logs.</summary>
    public static string ReasonName(X509RevocationReason? reason) => reason switch
    {
        null or X509RevocationReason.Unspecified => "unspecified",
        X509RevocationReason.KeyCompromise => "keyCompromise",
        X509RevocationReason.CACompromise => "cACompromise",
        X509RevocationReason.AffiliationChanged => "affiliationChanged",
        X509RevocationReason.Superseded => "superseded",
        X509RevocationReason.CessationOfOperation => "cessationOfOperation",
        X509RevocationReason.CertificateHold => "certificateHold",
        X509RevocationReason.PrivilegeWithdrawn => "privilegeWithdrawn",
        X509RevocationReason.AACompromise => "aACompromise",
        _ => "reason " + (int)reason.Value,
    };

    private RevocationStatus Evaluate(CrlEvaluation evaluation, CertificatePath path, int index)
    {
        if (index < 0 || index >= path.Certificates.Count - 1)
        {
            return RevocationStatus.Unknown(evaluation.Source, "a trust anchor has no issuer whose CRL could list it");
        }

        var certificate = path.Certificates[index];
        IReadOnlyList<CertificateDistributionPoint> points;
        try
        {
            points = CertificateDistributionPoint.Of(certificate);
        }
        catch (AsnContentException)
        {
            return RevocationStatus.Unknown(evaluation.Source, $"the CRL distribution points extension of '{certificate.Subject}' is malformed");
        }

        var covered = CrlReasons.None;
        var validUntil = DateTimeOffset.MaxValue;
        var problems = new List<string>();
        var anyCandidate = false;
        var anyDelta = false;
        RevocationStatus? revokedSigner = null;
        foreach (var point in points)
        {
            foreach (var issuerName in point.CrlIssuerNames(certificate))
            {
                var candidates = evaluation.Crls.IssuedBy(issuerName.Span);
                for (var i = 0; i < candidates.Count; i++)
                {
                    var crl = candidates[i];
                    if (covered.IsAll)
                    {
                        return Good(evaluation, certificate, validUntil);
                    }

                    if (crl.IsDelta)
                    {
                        anyDelta = true;
                        continue;
                    }

                    anyCandidate = true;
                    var reasons = point.Reasons.Intersect(crl.IssuingDistributionPoint?.Reasons ?? CrlReasons.All);
                    if (reasons.Except(covered).IsEmpty)
                    {
                        // RFC 5280 6.3.3 (e): this CRL would add nothing to what is covered already.
                        continue;
                    }

                    var answer = Consult(evaluation, crl, candidates, point, path, index);
                    if (answer.Problem is not null)
                    {
                        problems.Add($"CRL of '{crl.IssuerDisplayName}' (thisUpdate {crl.ThisUpdate:O}) {answer.Problem}");
                        revokedSigner ??= answer.RevokedSigner;
                        continue;
                    }

                    if (answer.Entry is { } entry)
                    {
                        return Revoked(evaluation, certificate, crl, answer.Delta, entry, answer.ValidUntil);
                    }

                    covered = covered.Union(reasons);
                    validUntil = answer.ValidUntil < validUntil ? answer.ValidUntil : validUntil;
                }
            }
        }

        if (covered.IsAll)
        {
            return Good(evaluation, certificate, validUntil);
        }

        if (revokedSigner is { } revoked)
        {
            return revoked;
        }

        if (!anyCandidate)
        {
            var issuers = string.Join(" or ", points.SelectMany(point => point.CrlIssuerNames(certificate)).Select(Display).Distinct());
            return RevocationStatus.Unknown(
                evaluation.Source,
                issuers.Length == 0 ? "its distribution points name no CRL issuer by directory name"
                    : anyDelta ? $"only delta CRLs issued by {issuers} are available, and a delta CRL is read only together with its complete CRL"
                    : $"no CRL issued by {issuers}");
        }

        if (!covered.IsEmpty)
        {
            problems.Insert(0, $"the usable CRLs cover only {covered}, and none covers {CrlReasons.All.Except(covered)} (from {string.Join(", ", points.Select(point => point.Describe(certificate)))})");
        }
        else if (problems.Count == 0)
        {
            problems.Add($"no CRL covers it (from {string.Join(", ", points.Select(point => point.Describe(certificate)))})");
        }

        return RevocationStatus.Unknown(evaluation.Source, string.Join("; ", problems));
    }

    /// <summary>One complete CRL, with its delta, asked about one certificate through one distribution point.</summary>
    private CrlAnswer Consult(
        CrlEvaluation evaluation, CertificateRevocationList crl, IReadOnlyList<CertificateRevocationList> sameIssuer, CertificateDistributionPoint point, CertificatePath path, int index)
    {
        var certificate = path.Certificates[index];
        if (UsabilityProblem(crl, evaluation.Time) is { } unusable)
        {
            return CrlAnswer.Unusable(unusable);
        }

        if (point.CrlIssuer.Count > 0 && crl.IssuingDistributionPoint is not { IndirectCrl: true })
        {
            return CrlAnswer.Unusable("is not an indirect CRL, so it cannot speak for certificates whose distribution point names it as CRL issuer");
        }

        if (crl.IssuingDistributionPoint?.ScopeProblem(certificate, point, crl.IssuerName) is { } outOfScope)
        {
            return CrlAnswer.Unusable(outOfScope);
        }

        var signature = signers.Authenticate(evaluation, crl, path, index, namedAsCrlIssuer: point.CrlIssuer.Count > 0);
        if (signature.Problem is not null)
        {
            return CrlAnswer.Unusable(signature.Problem, signature.RevokedSigner);
        }

        var (delta, deltaProblem) = DeltaCrls.Select(crl, sameIssuer, signature, signers, evaluation.Time, clockSkew);
        if (deltaProblem is not null)
        {
            return CrlAnswer.Unusable(deltaProblem);
        }

        var validUntil = Min(Min(crl.NextUpdate!.Value, delta?.NextUpdate ?? DateTimeOffset.MaxValue), signature.ValidUntil);
        var serial = certificate.SerialNumberBytes.Span;
        var issuer = certificate.IssuerName.RawData;

        // RFC 5280 6.3.3 (i) to (k): the delta speaks first; removeFromCRL there releases a hold of the base.
        if (delta is not null && delta.TryFindEntry(serial, issuer, out var deltaEntry))
        {
            return deltaEntry.Reason == X509RevocationReason.RemoveFromCrl ? CrlAnswer.NotListed(delta, validUntil) : CrlAnswer.Listed(deltaEntry, delta, validUntil);
        }

        return crl.TryFindEntry(serial, issuer, out var entry) && entry.Reason != X509RevocationReason.RemoveFromCrl
            ? CrlAnswer.Listed(entry, delta, validUntil)
            : CrlAnswer.NotListed(delta, validUntil);
    }

    private string? UsabilityProblem(CertificateRevocationList crl, DateTimeOffset time)
    {
        if (crl.UnusableBecause is { } unusable)
        {
            return "cannot be used: " + unusable;
        }

        if (crl.ThisUpdate > time + clockSkew)
        {
            return $"is not yet valid (thisUpdate {crl.ThisUpdate:O})";
        }

        if (crl.NextUpdate is not { } nextUpdate)
        {
            return "has no nextUpdate, so its freshness cannot be judged";
        }

        return nextUpdate <= time ? $"is stale (nextUpdate {nextUpdate:O})" : null;
    }

    private static RevocationStatus Good(CrlEvaluation evaluation, X509Certificate2 certificate, DateTimeOffset validUntil) =>
        new(RevocationState.Good, evaluation.Source, $"not listed on the CRLs of '{certificate.Issuer}'", validUntil);

    private static RevocationStatus Revoked(
        CrlEvaluation evaluation, X509Certificate2 certificate, CertificateRevocationList crl, CertificateRevocationList? delta, CrlEntry entry, DateTimeOffset validUntil)
    {
        var invalidity = entry.InvalidityDate is { } since ? $", invalid since {since:O}" : string.Empty;
        var listedOn = delta is not null && delta.TryFindEntry(entry.Serial.Span, certificate.IssuerName.RawData, out _)
            ? $"the delta CRL {delta.CrlNumber} of '{delta.IssuerDisplayName}' (thisUpdate {delta.ThisUpdate:O})"
            : $"the CRL of '{crl.IssuerDisplayName}' (thisUpdate {crl.ThisUpdate:O})";
        return new RevocationStatus(
            RevocationState.Revoked,
            evaluation.Source,
            $"serial {certificate.SerialNumber} is listed on {listedOn}, revoked at {entry.RevocationDate:O}{invalidity}",
            validUntil,
            ReasonName(entry.Reason),
            entry.RevocationDate);
    }

    private static string Display(ReadOnlyMemory<byte> name)
    {
        try
        {
            return "'" + new X500DistinguishedName(name.Span).Name + "'";
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return "(an unreadable name)";
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
