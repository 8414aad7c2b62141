using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace MtlsGateway.Telemetry;

/// <summary>
/// Adds the id of the YARP route that matched (<c>mtlsgateway.route</c>) to the request metrics and the server span:
/// the instrumentation names spans and <c>http.route</c> after the route's path template, but a dashboard by route
/// needs the id the operator configured. Runs for refused requests too.
/// </summary>
internal sealed class RouteIdTagging(RequestDelegate next)
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
            if (context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId is { } routeId)
            {
                context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new KeyValuePair<string, object?>(RouteIdTag, routeId));
                context.Features.Get<IHttpActivityFeature>()?.Activity.SetTag(RouteIdTag, routeId);
            }
        }
    }
}
