using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using MtlsGateway.ClientCertificates;
using MtlsGateway.Telemetry;
using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Authorization;

/// <summary>Answers an authorization refusal like every other refusal: 403 problem+json, reason <c>forbidden</c>.</summary>
internal sealed class ForbiddenResponseHandler(CertificatePolicies policies, GatewayMetrics metrics) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler defaultHandler = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Succeeded)
        {
            return defaultHandler.HandleAsync(next, context, policy, authorizeResult);
        }

        metrics.RequestRefused(RefusalReason.Forbidden);
        var policyName = context.Items[CertificatePolicyHandler.RefusingPolicyItem] as string;
        var detail = policyName is null || policies.Current.HidePolicyNames
            ? "the client certificate is not authorized for this route"
            : $"the client certificate is not authorized for this route by policy '{policyName}'";
        return RefusalResponse.WriteAsync(context, RefusalReason.Forbidden, detail, policies.Current.HidePolicyNames ? null : policyName);
    }
}
