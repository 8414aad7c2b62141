using Microsoft.AspNetCore.Mvc;

namespace MtlsGateway.RequestScreening;

/// <summary>
/// The RFC 7807 answer to an ambiguous request target: 400, a type of its own (it is no client-certificate refusal),
/// the reason code and one sentence. The target itself is not echoed.
/// </summary>
internal static class AmbiguousPathResponse
{
    public const string ProblemType = "urn:mtlsgateway:problem:ambiguous-path";

    public static Task WriteAsync(HttpContext context, PathAmbiguity ambiguity)
    {
        var problem = new ProblemDetails
        {
            Type = ProblemType,
            Title = "Ambiguous request path",
            Status = StatusCodes.Status400BadRequest,
            Detail = ambiguity.Describe() + "; upstreams may read it as another path than the one the gateway routes by, so it is refused",
        };
        problem.Extensions["reason"] = ambiguity.ToCode();
        problem.Extensions["traceId"] = context.TraceIdentifier;
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
    }
}
