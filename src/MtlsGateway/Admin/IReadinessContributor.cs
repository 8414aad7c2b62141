namespace MtlsGateway.Admin;

/// <summary>
/// Extension point: a part the gateway cannot serve without (trust list, proxy configuration; later revocation data
/// where Mode is Require and outbound identities). <c>/healthz/ready</c> is the conjunction of all registered contributors.
/// Register implementations as singletons; <see cref="Check"/> runs on every probe, so keep it cheap and never throw.
/// </summary>
public interface IReadinessContributor
{
    /// <summary>Short snake_case name shown in the readiness response.</summary>
    string Name { get; }

    ReadinessResult Check();
}
