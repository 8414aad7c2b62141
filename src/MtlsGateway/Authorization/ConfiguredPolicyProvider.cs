using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;

namespace MtlsGateway.Authorization;

/// <summary>
/// Serves the policies of <c>Gateway:Authorization</c> to ASP.NET Core's authorization. Policies are looked up on
/// every request (no caching by the framework) so a configuration reload takes effect at once. A policy only names its
/// requirement, which the handler looks up in the current settings, so the policy object of a name never changes and
/// is built once.
/// </summary>
/// <remarks>
/// The policies name no authentication scheme: the request's user is already the default scheme's (the gateway's),
/// and a policy naming it would make authorization authenticate again and merge a new principal on every request.
/// </remarks>
internal sealed class ConfiguredPolicyProvider(CertificatePolicies policies) : IAuthorizationPolicyProvider
{
    private static readonly Task<AuthorizationPolicy> AnyValidatedClient = Task.FromResult(new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .Build());

    private readonly ConcurrentDictionary<string, Task<AuthorizationPolicy?>> named = new(StringComparer.Ordinal);

    public bool AllowsCachingPolicies => false;

    public Task<AuthorizationPolicy> GetDefaultPolicyAsync() =>
        policies.Current.DefaultPolicy is { } name ? ForPolicy(name)! : AnyValidatedClient;

    /// <summary>Applies to routes that name no policy.</summary>
    public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() =>
        policies.Current.DefaultPolicy is { } name ? ForPolicy(name) : Task.FromResult<AuthorizationPolicy?>(null);

    /// <summary>
    /// Any name but YARP's reserved ones gets a policy: an unknown name refuses everything (fail closed) and is logged
    /// by the handler. The reserved names must stay unknown here, or YARP rejects routes that use them.
    /// </summary>
    public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) =>
        CertificatePolicySettings.ReservedNames.Contains(policyName, StringComparer.OrdinalIgnoreCase) ? Task.FromResult<AuthorizationPolicy?>(null) : ForPolicy(policyName);

    /// <summary>Names come from configuration (routes and settings), so the cache is as small as the configuration.</summary>
    private Task<AuthorizationPolicy?> ForPolicy(string name) =>
        named.GetOrAdd(name, static name => Task.FromResult<AuthorizationPolicy?>(new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .AddRequirements(new CertificatePolicyRequirement(name))
            .Build()));
}
