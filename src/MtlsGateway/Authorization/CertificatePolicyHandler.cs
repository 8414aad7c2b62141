using Microsoft.AspNetCore.Authorization;
using MtlsGateway.ClientCertificates;
using MtlsGateway.Telemetry;
using Yarp.ReverseProxy.Model;

namespace MtlsGateway.Authorization;

/// <summary>Evaluates <see cref="CertificatePolicyRequirement"/>; every decision is an audit event and a counted metric.</summary>
internal sealed partial class CertificatePolicyHandler(
    CertificatePolicies policies,
    GatewayMetrics metrics,
    ILogger<CertificatePolicyHandler> logger) : AuthorizationHandler<CertificatePolicyRequirement>
{
    /// <summary>HttpContext.Items key under which a refusing policy's name is left for the refusal response.</summary>
    public const string RefusingPolicyItem = "MtlsGateway.RefusingPolicy";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CertificatePolicyRequirement requirement)
    {
        if (context.Resource is not HttpContext http || http.Features.Get<IClientCertificateVerdictFeature>() is not { } feature)
        {
            return Task.CompletedTask;
        }

        var route = http.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId ?? http.GetEndpoint()?.DisplayName ?? "(none)";
        var identity = feature.Identity;
        var admitted = policies.Current.Policies.TryGetValue(requirement.PolicyName, out var policy) && policy.Admits(identity, feature.Verdict.ValidPolicies);
        if (policy is null)
        {
            // Fail closed: a route naming a policy that a reload removed refuses everyone until the configuration is fixed.
            LogUnknownPolicy(logger, route, requirement.PolicyName);
        }

        var decision = admitted ? "allow" : "deny";
        metrics.AuthorizationDecided(route, requirement.PolicyName, decision);
        LogDecision(logger, decision, route, requirement.PolicyName, identity.Subject, identity.SerialNumber, identity.Sha256Thumbprint);
        if (admitted)
        {
            context.Succeed(requirement);
        }
        else
        {
            http.Items[RefusingPolicyItem] = requirement.PolicyName;
            context.Fail(new AuthorizationFailureReason(this, $"policy '{requirement.PolicyName}' does not admit '{identity.Subject}'"));
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = EventIds.AuthorizationDecided, EventName = nameof(EventIds.AuthorizationDecided), Level = LogLevel.Information, Message = "Authorization {Decision}: route {Route}, policy {Policy}, subject '{Subject}', serial {SerialNumber}, sha256 {Thumbprint}")]
    private static partial void LogDecision(ILogger logger, string decision, string route, string policy, string subject, string serialNumber, string thumbprint);

    [LoggerMessage(EventId = EventIds.RouteNamesUnknownPolicy, EventName = nameof(EventIds.RouteNamesUnknownPolicy), Level = LogLevel.Error, Message = "Route {Route} names authorization policy '{Policy}', which is not configured; refusing its requests")]
    private static partial void LogUnknownPolicy(ILogger logger, string route, string policy);
}
