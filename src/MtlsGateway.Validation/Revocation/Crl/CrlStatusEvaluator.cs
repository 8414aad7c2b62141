using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Crypto;
using MtlsGateway.Validation.Signatures;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// Answers "is this certificate of the path revoked?" from a set of CRLs, by RFC 5280 6.3: the CRL must name the
/// certificate's issuer, be signed by the issuer's key (which must allow cRLSign) or by a separate CRL-signing
/// certificate that the issuer's own CA certified and did not revoke, be current, cover the certificate, and use
/// nothing this reader cannot honour. When several CRLs qualify the newest is used. Shared by local and fetched CRLs.
/// </summary>
public sealed class CrlStatusEvaluator
{
    private const int MaxSignerDepth = 4;
    private const int MaxSignerCandidates = 8;

    private readonly TimeSpan clockSkew;
    private readonly CryptoMinimums minimums;

    /// <param name="clockSkew">Tolerance for a thisUpdate slightly in the future and for a CRL signer's validity window.</param>
    /// <param name="minimums">A CRL signed below these (algorithm or key) is not relied on; default <see cref="CryptoMinimums.Default"/>.</param>
    public CrlStatusEvaluator(TimeSpan clockSkew, CryptoMinimums? minimums = null)
    {
        this.clockSkew = clockSkew;
        this.minimums = minimums ?? CryptoMinimums.Default;
    }

    public RevocationStatus Evaluate(string source, CrlSet crls, CertificatePath path, int index, DateTimeOffset validationTime)
    {
        ArgumentNullException.ThrowIfNull(crls);
        ArgumentNullException.ThrowIfNull(path);
        return Evaluate(source, crls, path, index, validationTime, 0);
    }

    private RevocationStatus Evaluate(string source, CrlSet crls, CertificatePath path, int index, DateTimeOffset time, int depth)
    {
        if (index < 0 || index >= path.Certificates.Count - 1)
        {
            return RevocationStatus.Unknown(source, "a trust anchor has no issuer whose CRL could list it");
        }

        var certificate = path.Certificates[index];
        var candidates = crls.IssuedBy(certificate.IssuerName.RawData);
        if (candidates.Count == 0)
        {
            return RevocationStatus.Unknown(source, $"no CRL issued by '{certificate.Issuer}'");
        }

        var problems = new List<string>();
        RevocationStatus? revokedSigner = null;
        (CertificateRevocationList Crl, DateTimeOffset ValidUntil)? chosen = null;
        foreach (var crl in candidates)
        {
            if (UsabilityProblem(crl, certificate, time) is { } problem)
            {
                problems.Add(Describe(crl, problem));
                continue;
            }

            var authentication = Authenticate(source, crls, crl, path, index, time, depth);
            if (authentication.Problem is not null)
            {
                problems.Add(Describe(crl, authentication.Problem));
                revokedSigner ??= authentication.RevokedSigner;
                continue;
            }

            var validUntil = Min(crl.NextUpdate!.Value, authentication.ValidUntil);
            if (chosen is null || IsNewer(crl, chosen.Value.Crl))
            {
                chosen = (crl, validUntil);
            }
        }

        if (chosen is not { } usable)
        {
            return revokedSigner ?? RevocationStatus.Unknown(source, string.Join("; ", problems));
        }

        if (usable.Crl.TryFind(certificate.SerialNumberBytes.Span, out var entry))
        {
            var reason = ReasonName(entry.Reason);
            var invalidity = entry.InvalidityDate is { } since ? $", invalid since {since:O}" : string.Empty;
            return new RevocationStatus(
                RevocationState.Revoked,
                source,
                $"serial {certificate.SerialNumber} is listed on the CRL of '{certificate.Issuer}' (thisUpdate {usable.Crl.ThisUpdate:O}), revoked at {entry.RevocationDate:O}{invalidity}",
                usable.ValidUntil,
                reason,
                entry.RevocationDate);
        }

        return new RevocationStatus(RevocationState.Good, source, $"not listed on the CRL of '{certificate.Issuer}' (thisUpdate {usable.Crl.ThisUpdate:O})", usable.ValidUntil);
    }

    private string? UsabilityProblem(CertificateRevocationList crl, X509Certificate2 certificate, DateTimeOffset time)
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

        if (nextUpdate <= time)
        {
            return $"is stale (nextUpdate {nextUpdate:O})";
        }

        return crl.IssuingDistributionPoint?.ScopeProblem(certificate);
    }

    private (string? Problem, DateTimeOffset ValidUntil, RevocationStatus? RevokedSigner) Authenticate(
        string source, CrlSet crls, CertificateRevocationList crl, CertificatePath path, int index, DateTimeOffset time, int depth)
    {
        var issuer = path.Certificates[index + 1];
        var ancestors = path.Certificates.Skip(index + 2).ToArray();
        string issuerProblem;
        if (!AllowsCrlSign(issuer, requireExtension: false))
        {
            issuerProblem = $"the key usage of '{issuer.Subject}' does not allow cRLSign";
        }
        else
        {
            var verification = VerifyOnce(crl, issuer, ancestors);
            if (verification is null)
            {
                return (null, DateTimeOffset.MaxValue, null);
            }

            issuerProblem = verification;
        }

        // RFC 5280 6.3.3 (f): a separate CRL-signing key, certified by the CA that certified the issuer.
        if (index + 2 >= path.Certificates.Count)
        {
            return (issuerProblem, default, null);
        }

        var superior = path.Certificates[index + 2];
        var superiorAncestors = path.Certificates.Skip(index + 3).ToArray();
        var signers = path.OtherCertificates
            .Where(other => !other.RawDataMemory.Span.SequenceEqual(issuer.RawDataMemory.Span)
                && AllowsCrlSign(other, requireExtension: true)
                && DistinguishedNames.Match(other.SubjectName.RawData, crl.IssuerName.Span)
                && DistinguishedNames.Match(other.IssuerName.RawData, superior.SubjectName.RawData))
            .DistinctBy(other => other.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256))
            .Take(MaxSignerCandidates);
        var problems = new List<string> { issuerProblem };
        RevocationStatus? revokedSigner = null;
        foreach (var signer in signers)
        {
            // The signer's own certificate is checked first: it is small, and presented certificates the CA never
            // signed must not make the gateway hash a large CRL again and again.
            if (SignerCertificateProblem(signer, superior, superiorAncestors, time) is { } signerProblem)
            {
                problems.Add(signerProblem);
                continue;
            }

            if (VerifyOnce(crl, signer, [superior, .. superiorAncestors]) is not null)
            {
                continue;
            }

            if (depth >= MaxSignerDepth)
            {
                problems.Add($"CRL signer '{signer.Subject}': CRL signers nest too deep");
                continue;
            }

            var signerPath = new CertificatePath([signer, .. path.Certificates.Skip(index + 2)], path.OtherCertificates);
            var signerStatus = Evaluate(source, crls, signerPath, 0, time, depth + 1);
            switch (signerStatus.State)
            {
                case RevocationState.Good:
                    return (null, Min(signerStatus.ValidUntil, new DateTimeOffset(signer.NotAfter.ToUniversalTime(), TimeSpan.Zero)), null);
                case RevocationState.Revoked:
                    // A CRL signed with a revoked key vouches for nothing, and the certificate it speaks for is refused:
                    // the CA's revocation authority itself is withdrawn.
                    revokedSigner = signerStatus with
                    {
                        Detail = $"the CRL signing certificate '{signer.Subject}' of '{crl.Issuer.Name}' is revoked, so no certificate its CRLs speak for is accepted ({signerStatus.Detail})",
                    };
                    problems.Add($"CRL signer '{signer.Subject}' is revoked");
                    break;
                default:
                    problems.Add($"CRL signer '{signer.Subject}' has unknown status ({signerStatus.Detail})");
                    break;
            }
        }

        return (string.Join("; ", problems), default, revokedSigner);
    }

    private string? SignerCertificateProblem(X509Certificate2 signer, X509Certificate2 superior, X509Certificate2[] superiorAncestors, DateTimeOffset time)
    {
        if (!superior.Extensions.OfType<X509BasicConstraintsExtension>().Any(constraints => constraints.CertificateAuthority)
            || !AllowsCertSign(superior))
        {
            return $"CRL signer '{signer.Subject}': '{superior.Subject}' may not certify it";
        }

        SignedObject signed;
        try
        {
            signed = SignedObject.Parse(signer.RawDataMemory);
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return $"CRL signer '{signer.Subject}': its certificate is not DER";
        }

        if (SignatureVerification.Verify(signed.ToBeSigned.Span, signed.Algorithm, signed.Signature.Span, superior, superiorAncestors, minimums) is { } problem)
        {
            return $"CRL signer '{signer.Subject}': {problem}";
        }

        var notBefore = new DateTimeOffset(signer.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(signer.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return time + clockSkew < notBefore || time - clockSkew > notAfter
            ? $"CRL signer '{signer.Subject}' is outside its validity period"
            : null;
    }

    /// <summary>Verifies a CRL's signature once per signer key; large CRLs take milliseconds to hash.</summary>
    private string? VerifyOnce(CertificateRevocationList crl, X509Certificate2 signer, X509Certificate2[] ancestors)
    {
        var key = signer.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256) + "/" +
            (ancestors.Length > 0 ? ancestors[0].GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256) : string.Empty) + "/" + minimums.CacheKey;
        if (crl.VerifiedSigners.TryGetValue(key, out var problem))
        {
            return problem.Length == 0 ? null : problem;
        }

        var result = SignatureVerification.Verify(crl.Signed.ToBeSigned.Span, crl.Signed.Algorithm, crl.Signed.Signature.Span, signer, ancestors, minimums);
        crl.VerifiedSigners[key] = result ?? string.Empty;
        return result;
    }

    private static bool AllowsCrlSign(X509Certificate2 certificate, bool requireExtension) =>
        certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage
            ? (usage.KeyUsages & X509KeyUsageFlags.CrlSign) != 0
            : !requireExtension;

    private static bool AllowsCertSign(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is not { } usage
            || (usage.KeyUsages & X509KeyUsageFlags.KeyCertSign) != 0;

    private static bool IsNewer(CertificateRevocationList crl, CertificateRevocationList than) =>
        crl.ThisUpdate > than.ThisUpdate || (crl.ThisUpdate == than.ThisUpdate && (crl.CrlNumber ?? -1) > (than.CrlNumber ?? -1));

    private static string Describe(CertificateRevocationList crl, string problem) =>
        $"CRL of '{crl.Issuer.Name}' (thisUpdate {crl.ThisUpdate:O}) {problem}";

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

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
