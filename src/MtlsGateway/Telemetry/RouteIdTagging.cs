using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace MtlsGateway.Telemetry;

/// <summary>
/// Adds the id of the YARP route that matched (<c>mtlsgateway.route</c>) to the request metrics and the server span:
/// the instrumentation names spans and <c>http.route</c> after the route's path template, but a dashboard by route
/// needs the id the operator configured. Placed right after routing, it tags before the request goes on (refused
/// requests and requests that fail later included) and costs no state machine.
/// </summary>
internal sealed class RouteIdTagging(RequestDelegate next)
{
    public const string RouteIdTag = "mtlsgateway.route";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId is { } routeId)
        {
            context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new KeyValuePair<string, object?>(RouteIdTag, routeId));
            context.Features.Get<IHttpActivityFeature>()?.Activity.SetTag(RouteIdTag, routeId);
        }

        return next(context);
    }
}
