using Microsoft.AspNetCore.Mvc;
using MtlsGateway.Validation.Chains;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// Writes the RFC 7807 refusal. Only the reason and the detail go out, with internal addresses and paths withheld
/// (<see cref="ClientFacingDetail"/>); no stack traces. A refusal of the certificate itself (any reason but
/// <c>forbidden</c>, which is one route's policy) also closes the connection.
/// </summary>
internal static class RefusalResponse
{
    public const string ProblemType = "urn:mtlsgateway:problem:client-certificate-refused";

    public static Task WriteAsync(HttpContext context, RefusalReason reason, string detail, string? policy = null)
    {
        var problem = new ProblemDetails
        {
            Type = ProblemType,
            Title = "Client certificate refused",
            Status = StatusCodes.Status403Forbidden,
            Detail = ClientFacingDetail.Of(detail),
        };
        problem.Extensions["reason"] = reason.ToCode();
        if (policy is not null)
        {
            problem.Extensions["policy"] = policy;
        }

        problem.Extensions["traceId"] = context.TraceIdentifier;
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        if (reason != RefusalReason.Forbidden)
        {
            RefusedConnectionClosing.AfterThisResponse(context);
        }

        return context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
    }
}
