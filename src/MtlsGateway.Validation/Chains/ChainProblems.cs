using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Chains;

/// <summary>Turns the chain engine's status flags into what an operator can act on.</summary>
internal static class ChainProblems
{
    public static string Describe(IReadOnlyCollection<X509ChainStatusFlags> problems, X509Certificate2 endEntity, IReadOnlyList<X509Certificate2> path)
    {
        if (problems.Count == 0)
        {
            return $"no path from '{endEntity.Subject}' to a trusted CA";
        }

        var last = path.Count > 0 ? path[^1] : endEntity;
        var described = string.Join("; ", problems.Select(problem => Describe(problem, last)));

        // A missing issuer already names it; otherwise say whose chain this was.
        return problems.Contains(X509ChainStatusFlags.PartialChain) ? described : $"{described} (client certificate issued by '{endEntity.Issuer}')";
    }

    private static string Describe(X509ChainStatusFlags problem, X509Certificate2 last) => problem switch
    {
        X509ChainStatusFlags.PartialChain =>
            $"no issuer found for '{last.Subject}' (issuer '{last.Issuer}'): the client must send its intermediate CAs, or configure them in IntermediateFiles",
        X509ChainStatusFlags.UntrustedRoot =>
            $"the chain ends at '{last.Subject}', which is not in the trust list",
        X509ChainStatusFlags.NotSignatureValid =>
            "a signature in the chain does not verify",
        X509ChainStatusFlags.InvalidBasicConstraints =>
            "a certificate in the chain acts as a CA without being allowed to (basicConstraints or path length)",
        X509ChainStatusFlags.HasNotSupportedCriticalExtension =>
            "a certificate in the chain carries a critical extension the gateway does not support",
        X509ChainStatusFlags.InvalidNameConstraints or X509ChainStatusFlags.HasNotSupportedNameConstraint
            or X509ChainStatusFlags.HasNotPermittedNameConstraint or X509ChainStatusFlags.HasExcludedNameConstraint
            or X509ChainStatusFlags.HasNotDefinedNameConstraint =>
            "a CA's name constraints do not allow this certificate's names",
        X509ChainStatusFlags.InvalidPolicyConstraints or X509ChainStatusFlags.NoIssuanceChainPolicy =>
            "the chain's certificate policies are not satisfied",
        X509ChainStatusFlags.Cyclic =>
            "the chain is cyclic",
        X509ChainStatusFlags.ExplicitDistrust =>
            "a certificate in the chain is explicitly distrusted",
        X509ChainStatusFlags.NotValidForUsage =>
            "a certificate in the chain is not valid for this usage",
        _ => problem.ToString(),
    };
}
