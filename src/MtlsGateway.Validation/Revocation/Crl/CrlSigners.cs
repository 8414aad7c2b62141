using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Crypto;
using MtlsGateway.Validation.Policies;
using MtlsGateway.Validation.Signatures;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// Finds and validates the key that signed a CRL (RFC 5280 6.3.3 f and g). Two kinds of signers are accepted:
/// <list type="bullet">
/// <item>a certificate of the validated path, above the certificate in question, whose subject is the CRL issuer:
/// the issuer itself, or the same CA under its other key after a key rollover (self-issued certificates);</item>
/// <item>another known certificate (sent by the client, configured) whose subject is the CRL issuer, whose key usage
/// allows cRLSign, and which a CA of that same path certified: a separate CRL signing key, the CA's new key, the
/// issuer of an indirect CRL. Its certificate is verified, and its own revocation status established.</item>
/// </list>
/// RFC 5280 accepts a CRL signer on any path to the same trust anchor; requiring a CA of the certificate's own path to
/// have certified it means a sibling CA under the same anchor cannot speak for certificates it did not issue.
/// </summary>
internal sealed class CrlSigners
{
    private const int MaxDepth = 4;
    private const int MaxCandidates = 8;

    private static readonly HashSet<string> UnderstoodCriticalExtensions = new(StringComparer.Ordinal)
    {
        Oids.KeyUsage,
        Oids.BasicConstraints,
        Oids.SubjectAlternativeName,
        Oids.ExtendedKeyUsage,
        CertificatePolicyOids.CertificatePolicies,
        Oids.CrlDistributionPoints,
        Oids.FreshestCrl,
    };

    private readonly TimeSpan clockSkew;
    private readonly CryptoMinimums minimums;
    private readonly Func<CrlEvaluation, CertificatePath, int, RevocationStatus> statusOf;

    /// <param name="minimums">A CRL or signer certificate signed below these (algorithm or key) is not relied on.</param>
    /// <param name="statusOf">Establishes a certificate's revocation status (for a separate signer's own certificate).</param>
    public CrlSigners(TimeSpan clockSkew, CryptoMinimums minimums, Func<CrlEvaluation, CertificatePath, int, RevocationStatus> statusOf)
    {
        this.clockSkew = clockSkew;
        this.minimums = minimums;
        this.statusOf = statusOf;
    }

    /// <summary>Who signed <paramref name="crl"/>, vouching for the certificate at <paramref name="index"/> of <paramref name="path"/>.</summary>
    /// <param name="namedAsCrlIssuer">
    /// The certificate's distribution point names the CRL's issuer (cRLIssuer): its CA delegated revocation to it, which
    /// is the one case where a CRL signer's certificate may be covered by the CRL it signs itself.
    /// </param>
    public CrlSignature Authenticate(CrlEvaluation evaluation, CertificateRevocationList crl, CertificatePath path, int index, bool namedAsCrlIssuer)
    {
        List<string>? problems = null;

        // Certificates of the path bearing the CRL issuer's name, the one whose key the CRL names (if it does) first.
        List<int>? otherKeys = null;
        for (var position = index + 1; position < path.Certificates.Count; position++)
        {
            var candidate = path.Certificates[position];
            if (!DistinguishedNames.Match(candidate.SubjectName.RawData, crl.IssuerName.Span))
            {
                continue;
            }

            if (crl.AuthorityKeyIdentifier is not null && !NamesKeyOf(crl, candidate))
            {
                (otherKeys ??= []).Add(position);
                continue;
            }

            if (TryPathCertificate(crl, path, position, ref problems) is { } signature)
            {
                return signature;
            }
        }

        foreach (var position in otherKeys ?? [])
        {
            if (TryPathCertificate(crl, path, position, ref problems) is { } signature)
            {
                return signature;
            }
        }

        RevocationStatus? revokedSigner = null;
        foreach (var signer in SeparateSigners(crl, path, index))
        {
            var signature = AuthenticateSeparate(evaluation, crl, path, index, signer, namedAsCrlIssuer);
            if (signature.Problem is null)
            {
                return signature;
            }

            (problems ??= []).Add(signature.Problem);
            revokedSigner ??= signature.RevokedSigner;
        }

        return CrlSignature.Failed(
            problems is null ? $"no certificate of '{crl.IssuerDisplayName}' that could have signed it is known" : string.Join("; ", problems.Distinct()),
            revokedSigner);
    }

    private CrlSignature? TryPathCertificate(CertificateRevocationList crl, CertificatePath path, int position, ref List<string>? problems)
    {
        var candidate = path.Certificates[position];
        if (!AllowsCrlSign(candidate))
        {
            (problems ??= []).Add($"the key usage of '{candidate.Subject}' does not allow cRLSign");
            return null;
        }

        var ancestors = path.Certificates.Skip(position + 1).ToArray();
        if (Verify(crl, candidate, ancestors) is { } problem)
        {
            (problems ??= []).Add(problem);
            return null;
        }

        return CrlSignature.By(candidate, ancestors, DateTimeOffset.MaxValue);
    }

    /// <summary>Verifies a CRL's signature once per signer key (and crypto minimums); large CRLs take milliseconds to hash.</summary>
    public string? Verify(CertificateRevocationList crl, X509Certificate2 signer, IReadOnlyList<X509Certificate2> ancestors)
    {
        var key = signer.GetCertHashString(HashAlgorithmName.SHA256) + "/" +
            (ancestors.Count > 0 ? ancestors[0].GetCertHashString(HashAlgorithmName.SHA256) : string.Empty) + "/" + minimums.CacheKey;
        if (crl.VerifiedSigners.TryGetValue(key, out var problem))
        {
            return problem.Length == 0 ? null : problem;
        }

        var result = SignatureVerification.Verify(crl.Signed.ToBeSigned.Span, crl.Signed.Algorithm, crl.Signed.Signature.Span, signer, ancestors, minimums);
        crl.VerifiedSigners[key] = result ?? string.Empty;
        return result;
    }

    private CrlSignature AuthenticateSeparate(CrlEvaluation evaluation, CertificateRevocationList crl, CertificatePath path, int index, X509Certificate2 signer, bool namedAsCrlIssuer)
    {
        string? problem = null;
        for (var position = index + 1; position < path.Certificates.Count; position++)
        {
            var certifier = path.Certificates[position];
            if (!DistinguishedNames.Match(signer.IssuerName.RawData, certifier.SubjectName.RawData))
            {
                continue;
            }

            // The signer's own certificate is checked first: it is small, and presented certificates the CA never
            // signed must not make the gateway hash a large CRL again and again.
            var ancestors = path.Certificates.Skip(position).ToArray();
            problem = SignerCertificateProblem(signer, ancestors, evaluation.Time);
            if (problem is not null)
            {
                continue;
            }

            if (Verify(crl, signer, ancestors) is { } signatureProblem)
            {
                return CrlSignature.Failed(signatureProblem);
            }

            var notAfter = new DateTimeOffset(signer.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            if (evaluation.IsInProgress(signer))
            {
                // The signer's own status is what is being established. Its own CRL may tell it only when its
                // certificate names it as its CRL issuer: its CA delegated that, as RFC 5280 allows. Otherwise a key
                // would vouch for itself, and a stolen CRL key could hide its own revocation.
                return namedAsCrlIssuer && path.Certificates[index].RawDataMemory.Span.SequenceEqual(signer.RawDataMemory.Span)
                    ? CrlSignature.By(signer, ancestors, notAfter)
                    : CrlSignature.Failed($"CRL signer '{signer.Subject}' would vouch for its own certificate");
            }

            if (evaluation.Depth >= MaxDepth)
            {
                return CrlSignature.Failed($"CRL signer '{signer.Subject}': CRL signers nest too deep");
            }

            var status = statusOf(evaluation.ForSigner(signer), new CertificatePath([signer, .. ancestors], path.OtherCertificates), 0);
            switch (status.State)
            {
                case RevocationState.Good:
                    return CrlSignature.By(signer, ancestors, status.ValidUntil < notAfter ? status.ValidUntil : notAfter);
                case RevocationState.Revoked:
                    // A CRL signed with a revoked key vouches for nothing, and the certificate it speaks for is refused:
                    // the CA's revocation authority itself is withdrawn.
                    return CrlSignature.Failed(
                        $"CRL signer '{signer.Subject}' is revoked",
                        status with
                        {
                            Detail = $"the CRL signing certificate '{signer.Subject}' of '{crl.IssuerDisplayName}' is revoked, so no certificate its CRLs speak for is accepted ({status.Detail})",
                        });
                default:
                    return CrlSignature.Failed($"CRL signer '{signer.Subject}' has unknown status ({status.Detail})");
            }
        }

        return CrlSignature.Failed(problem ?? $"CRL signer '{signer.Subject}' was not certified by a CA of the certificate's path");
    }

    /// <summary>Known certificates other than the path's that could be the CRL's signer, most likely first.</summary>
    private static IEnumerable<X509Certificate2> SeparateSigners(CertificateRevocationList crl, CertificatePath path, int index) =>
        path.OtherCertificates
            .Where(other => DistinguishedNames.Match(other.SubjectName.RawData, crl.IssuerName.Span)
                && !path.Certificates.Skip(index + 1).Any(onPath => onPath.RawDataMemory.Span.SequenceEqual(other.RawDataMemory.Span))
                && AllowsCrlSign(other, requireExtensionUnlessCa: true))
            .DistinctBy(other => other.GetCertHashString(HashAlgorithmName.SHA256))
            .OrderByDescending(other => NamesKeyOf(crl, other))
            .Take(MaxCandidates);

    private string? SignerCertificateProblem(X509Certificate2 signer, X509Certificate2[] certifierAndAncestors, DateTimeOffset time)
    {
        var certifier = certifierAndAncestors[0];
        if (certifier.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true }
            || certifier.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage && (usage.KeyUsages & X509KeyUsageFlags.KeyCertSign) == 0)
        {
            return $"CRL signer '{signer.Subject}': '{certifier.Subject}' may not certify it";
        }

        if (signer.Extensions.FirstOrDefault(extension => extension.Critical && !UnderstoodCriticalExtensions.Contains(extension.Oid?.Value ?? string.Empty)) is { } unknown)
        {
            return $"CRL signer '{signer.Subject}': its certificate has the critical extension {unknown.Oid?.Value}, which is not understood here";
        }

        SignedObject signed;
        try
        {
            signed = SignedObject.Parse(signer.RawDataMemory);
        }
        catch (AsnContentException)
        {
            return $"CRL signer '{signer.Subject}': its certificate is not DER";
        }

        if (SignatureVerification.Verify(signed.ToBeSigned.Span, signed.Algorithm, signed.Signature.Span, certifier, certifierAndAncestors[1..], minimums) is { } problem)
        {
            return $"CRL signer '{signer.Subject}': {problem}";
        }

        var notBefore = new DateTimeOffset(signer.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(signer.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return time + clockSkew < notBefore || time - clockSkew > notAfter
            ? $"CRL signer '{signer.Subject}' is outside its validity period"
            : null;
    }

    /// <summary>RFC 5280 6.3.3 (f): when the signer's certificate has a key usage extension, it must allow cRLSign.</summary>
    /// <param name="requireExtensionUnlessCa">
    /// For certificates off the path: one without key usage is taken as a signer only if it is a CA; an end-entity
    /// certificate that merely carries the CA's name is not.
    /// </param>
    private static bool AllowsCrlSign(X509Certificate2 certificate, bool requireExtensionUnlessCa = false) =>
        certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage
            ? (usage.KeyUsages & X509KeyUsageFlags.CrlSign) != 0
            : !requireExtensionUnlessCa || certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true };

    /// <summary>Whether the CRL's authorityKeyIdentifier names this certificate's key (used to try likely signers first).</summary>
    private static bool NamesKeyOf(CertificateRevocationList crl, X509Certificate2 certificate) =>
        crl.AuthorityKeyIdentifier is { } keyId
            && certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault() is { } subjectKeyId
            && keyId.Span.SequenceEqual(subjectKeyId.SubjectKeyIdentifierBytes.Span);
}
