using Microsoft.AspNetCore.Authorization;

namespace MtlsGateway.Authorization;

/// <summary>The client certificate must match the named policy's rules, as they are configured at the time of the request.</summary>
public sealed record CertificatePolicyRequirement(string PolicyName) : IAuthorizationRequirement;
