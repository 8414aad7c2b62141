using Microsoft.AspNetCore.Authorization;

namespace MtlsGateway.Authorization;

/// <summary>
/// Serves the policies of <c>Gateway:Authorization</c> to ASP.NET Core's authorization. Policies are looked up on
/// every request (no caching by the framework) so a configuration reload takes effect at once.
/// </summary>
internal sealed class ConfiguredPolicyProvider(CertificatePolicies policies) : IAuthorizationPolicyProvider
{
    private static readonly AuthorizationPolicy AnyValidatedClient = new AuthorizationPolicyBuilder(ClientCertificateAuthenticationHandler.SchemeName)
        .RequireAuthenticatedUser()
        .Build();

    public bool AllowsCachingPolicies => false;

    public Task<AuthorizationPolicy> GetDefaultPolicyAsync() =>
        Task.FromResult(policies.Current.DefaultPolicy is { } name ? ForPolicy(name) : AnyValidatedClient);

    /// <summary>Applies to routes that name no policy.</summary>
    public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() =>
        Task.FromResult(policies.Current.DefaultPolicy is { } name ? ForPolicy(name) : null);

    /// <summary>
    /// Any name but YARP's reserved ones gets a policy: an unknown name refuses everything (fail closed) and is logged
    /// by the handler. The reserved names must stay unknown here, or YARP rejects routes that use them.
    /// </summary>
    public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) =>
        Task.FromResult(CertificatePolicySettings.ReservedNames.Contains(policyName, StringComparer.OrdinalIgnoreCase) ? null : ForPolicy(policyName));

    private static AuthorizationPolicy ForPolicy(string name) =>
        new AuthorizationPolicyBuilder(ClientCertificateAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .AddRequirements(new CertificatePolicyRequirement(name))
            .Build();
}
