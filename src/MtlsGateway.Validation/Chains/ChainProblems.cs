using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Chains;

/// <summary>Turns the chain engine's status flags into what an operator can act on, naming the certificate concerned.</summary>
internal static class ChainProblems
{
    public static string Describe(IReadOnlyCollection<ChainProblem> problems, X509Certificate2 endEntity, IReadOnlyList<X509Certificate2> path, SeenIntermediates seen)
    {
        if (problems.Count == 0)
        {
            return $"no path from '{endEntity.Subject}' to a trusted CA";
        }

        var last = path.Count > 0 ? path[^1] : endEntity;
        var described = string.Join("; ", problems.Select(problem => Describe(problem, last, seen)).Distinct(StringComparer.Ordinal));

        // A missing issuer already names it; otherwise say whose chain this was.
        return problems.Any(problem => problem.Status == X509ChainStatusFlags.PartialChain)
            ? described
            : $"{described} (end-entity certificate issued by '{endEntity.Issuer}')";
    }

    /// <summary>
    /// Advises sending intermediates only when the gateway knows the missing one leads to a trust anchor; a client of an
    /// unknown CA is told just that, with the issuer named.
    /// </summary>
    private static string MissingIssuer(X509Certificate2 last, SeenIntermediates seen) => seen.IssuerOf(last) is { } known
        ? $"no trusted issuer found for '{last.Subject}': its issuer '{last.Issuer}' is an intermediate CA of trust anchor '{known.Anchor}' the client did not send: the client must send its intermediate CAs, or configure them in IntermediateFiles"
        : $"no trusted issuer found for '{last.Subject}': its issuer '{last.Issuer}' is neither a trust anchor nor a known intermediate CA";

    private static string Describe(ChainProblem problem, X509Certificate2 last, SeenIntermediates seen)
    {
        var who = problem.Certificate is { } certificate ? $"'{certificate.Subject}'" : "a certificate in the chain";
        return problem.Status switch
        {
            X509ChainStatusFlags.PartialChain => MissingIssuer(last, seen),
            X509ChainStatusFlags.UntrustedRoot =>
                $"the chain ends at '{last.Subject}', which is not in the trust list",
            X509ChainStatusFlags.NotSignatureValid =>
                problem.Certificate is null ? "a signature in the chain does not verify" : $"the signature of {who} does not verify with its issuer's key",
            X509ChainStatusFlags.InvalidBasicConstraints =>
                $"{who} acts as a CA without being allowed to (basicConstraints cA is not true, or its pathLenConstraint is exceeded)",
            X509ChainStatusFlags.HasNotSupportedCriticalExtension =>
                $"{who} carries a critical extension the gateway does not support",
            X509ChainStatusFlags.InvalidNameConstraints or X509ChainStatusFlags.HasNotSupportedNameConstraint
                or X509ChainStatusFlags.HasNotPermittedNameConstraint or X509ChainStatusFlags.HasExcludedNameConstraint
                or X509ChainStatusFlags.HasNotDefinedNameConstraint =>
                $"the names of {who} are not allowed by a CA's name constraints",
            X509ChainStatusFlags.InvalidPolicyConstraints or X509ChainStatusFlags.NoIssuanceChainPolicy =>
                "the chain's certificate policies are not satisfied",
            X509ChainStatusFlags.Cyclic =>
                "the chain is cyclic",
            X509ChainStatusFlags.ExplicitDistrust =>
                $"{who} is explicitly distrusted",
            X509ChainStatusFlags.NotValidForUsage =>
                $"{who} is not valid for this usage",
            _ => problem.Certificate is null ? problem.Status.ToString() : $"{who}: {problem.Status}",
        };
    }
}
