using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Crypto;
using MtlsGateway.Validation.Policies;
using MtlsGateway.Validation.Signatures;

namespace MtlsGateway.Validation.Chains;

/// <summary>
/// OpenSSL, behind X509Chain on Linux, cannot load a DSA public key whose domain parameters are inherited from its
/// issuer (RFC 3279 2.3.2): X509Chain throws for any path holding such a certificate. For that case only, the links
/// up to the first certificate X509Chain can handle are judged here (issuer name and key identifier, CA and keyCertSign,
/// signature with the inherited parameters, path length), and X509Chain judges the rest of the path as usual.
/// Anything these links cannot honour (name or policy constraints above them, unknown critical extensions) refuses.
/// </summary>
internal static class InheritedDsaParametersPath
{
    private const int MaxLinks = 8;

    private static readonly HashSet<string> CriticalExtensionsUnderstood = new(StringComparer.Ordinal)
    {
        Oids.KeyUsage,
        Oids.BasicConstraints,
        Oids.SubjectAlternativeName,
        Oids.ExtendedKeyUsage,
        CertificatePolicyOids.CertificatePolicies,
    };

    private static readonly string[] ConstraintsNotEnforcedHere = [Oids.NameConstraints, CertificatePolicyOids.PolicyConstraints, CertificatePolicyOids.PolicyMappings, CertificatePolicyOids.InhibitAnyPolicy];

    /// <param name="buildChain">Builds a certificate's path with X509Chain, as for any presented certificate.</param>
    /// <returns>The path, end entity first, and no problem; or an empty path and why.</returns>
    public static (X509Certificate2[] Path, X509ChainStatusFlags[] Problems) Build(
        X509Certificate2 endEntity,
        IReadOnlyCollection<X509Certificate2> candidateIssuers,
        Func<X509Certificate2, (X509Certificate2[] Path, X509ChainStatusFlags[] Problems)> buildChain)
    {
        ArgumentNullException.ThrowIfNull(endEntity);
        ArgumentNullException.ThrowIfNull(candidateIssuers);
        ArgumentNullException.ThrowIfNull(buildChain);
        var path = BuildLink(endEntity, candidateIssuers, buildChain, 0);
        if (path is null)
        {
            return ([], [X509ChainStatusFlags.PartialChain]);
        }

        if (path.Any(certificate => certificate.Extensions.Any(extension => ConstraintsNotEnforcedHere.Contains(extension.Oid?.Value))))
        {
            return ([], [X509ChainStatusFlags.HasNotSupportedNameConstraint]);
        }

        return PathLengthExceeded(path) ? ([], [X509ChainStatusFlags.InvalidBasicConstraints]) : (path, []);
    }

    private static X509Certificate2[]? BuildLink(
        X509Certificate2 certificate,
        IReadOnlyCollection<X509Certificate2> candidateIssuers,
        Func<X509Certificate2, (X509Certificate2[] Path, X509ChainStatusFlags[] Problems)> buildChain,
        int depth)
    {
        if (depth >= MaxLinks
            || certificate.Extensions.Any(extension => extension.Critical && !CriticalExtensionsUnderstood.Contains(extension.Oid?.Value ?? string.Empty)))
        {
            return null;
        }

        var signed = SignedObject.Parse(certificate.RawDataMemory);
        foreach (var issuer in candidateIssuers.Where(candidate => CouldHaveIssued(candidate, certificate)))
        {
            X509Certificate2[]? upper;
            try
            {
                var built = buildChain(issuer);
                upper = built.Problems.Length == 0 && built.Path.Length > 0 ? built.Path : null;
            }
            catch (CryptographicException)
            {
                upper = BuildLink(issuer, candidateIssuers, buildChain, depth + 1);
            }

            if (upper is not null
                && SignatureVerification.Verify(signed.ToBeSigned.Span, signed.Algorithm, signed.Signature.Span, upper[0], upper[1..], CryptoMinimums.NotApplied) is null)
            {
                return [X509CertificateLoader.LoadCertificate(certificate.RawData), .. upper];
            }
        }

        return null;
    }

    private static bool CouldHaveIssued(X509Certificate2 issuer, X509Certificate2 subject)
    {
        if (issuer.RawDataMemory.Span.SequenceEqual(subject.RawDataMemory.Span)
            || !DistinguishedNames.Match(issuer.SubjectName.RawData, subject.IssuerName.RawData)
            || issuer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            return false;
        }

        if (issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage && (usage.KeyUsages & X509KeyUsageFlags.KeyCertSign) == 0)
        {
            return false;
        }

        return subject.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier is not { } keyId
            || issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault() is not { } subjectKeyId
            || keyId.Span.SequenceEqual(subjectKeyId.SubjectKeyIdentifierBytes.Span);
    }

    /// <summary>RFC 5280 4.2.1.9: a CA's pathLenConstraint bounds the intermediates below it (the trust anchor's is not enforced).</summary>
    private static bool PathLengthExceeded(X509Certificate2[] path)
    {
        for (var position = 1; position < path.Length - 1; position++)
        {
            if (path[position].Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { HasPathLengthConstraint: true } constraints
                && position - 1 > constraints.PathLengthConstraint)
            {
                return true;
            }
        }

        return false;
    }
}
