using Microsoft.AspNetCore.Mvc;

namespace MtlsGateway.Hosting;

/// <summary>The answer to an unhandled error: a problem+json 500 that says nothing about the gateway's internals.</summary>
internal static class InternalErrorResponse
{
    public static Task WriteAsync(HttpContext context)
    {
        var problem = new ProblemDetails
        {
            Title = "Internal gateway error",
            Status = StatusCodes.Status500InternalServerError,
        };
        problem.Extensions["traceId"] = context.TraceIdentifier;
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
    }
}
