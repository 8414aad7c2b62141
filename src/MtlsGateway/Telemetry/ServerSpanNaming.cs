using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace MtlsGateway.Telemetry;

/// <summary>
/// Names each server span "{METHOD} {route}" after the YARP route that matched, tags it with <c>http.route</c> (the route
/// id) and the status, and adds the route id to the ASP.NET Core request metrics. ASP.NET Core does neither by itself
/// for YARP's catch-all patterns, and a dashboard by route needs the id the operator configured.
/// </summary>
internal sealed class ServerSpanNaming(RequestDelegate next)
{
    public const string RouteIdTag = "mtlsgateway.route";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            Describe(context);
        }
    }

    private static void Describe(HttpContext context)
    {
        var routeId = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId;
        if (routeId is not null)
        {
            context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new KeyValuePair<string, object?>(RouteIdTag, routeId));
        }

        if (context.Features.Get<IHttpActivityFeature>()?.Activity is not { } activity || !activity.IsAllDataRequested)
        {
            return;
        }

        var method = context.Request.Method;
        activity.DisplayName = routeId is null ? method : $"{method} {routeId}";
        if (routeId is not null)
        {
            activity.SetTag("http.route", routeId);
        }

        var status = context.Response.StatusCode;
        activity.SetTag("http.request.method", method);
        activity.SetTag("http.response.status_code", status);
        if (status >= StatusCodes.Status500InternalServerError)
        {
            // Semantic conventions: a server span is an error only for 5xx; a 403 refusal is the gateway doing its job.
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
