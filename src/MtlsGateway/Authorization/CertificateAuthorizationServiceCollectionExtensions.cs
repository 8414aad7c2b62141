using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using MtlsGateway.Settings;

namespace MtlsGateway.Authorization;

/// <summary>
/// Registers per-route authorization (<c>Gateway:Authorization</c>): the authentication scheme that turns the
/// validator's verdict into a principal, the configured policies, and refusals answered like every other refusal.
/// </summary>
internal static class CertificateAuthorizationServiceCollectionExtensions
{
    public static IServiceCollection AddCertificateAuthorization(this IServiceCollection services)
    {
        services.AddValidatedOptions<CertificateAuthorizationOptions, CertificateAuthorizationOptionsValidator>(CertificateAuthorizationOptions.SectionName);
        services.AddSingleton<CertificatePolicies>();
        services.AddSingleton<ClientCertificatePrincipals>();
        services.AddAuthentication(ClientCertificateAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ClientCertificateAuthenticationHandler>(ClientCertificateAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddSingleton<IAuthorizationPolicyProvider, ConfiguredPolicyProvider>();
        services.AddSingleton<IAuthorizationHandler, CertificatePolicyHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenResponseHandler>();
        return services;
    }
}
