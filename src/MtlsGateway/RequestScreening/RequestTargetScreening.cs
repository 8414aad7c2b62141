using Microsoft.AspNetCore.Http.Features;
using MtlsGateway.Telemetry;

namespace MtlsGateway.RequestScreening;

/// <summary>
/// Refuses, before routing, every request whose raw target (<see cref="IHttpRequestFeature.RawTarget"/>: Kestrel has
/// already decoded <c>Path</c>) has a spelling an upstream may read as another path than the route that judges it
/// (<see cref="RequestTargetRules"/>): 400 problem+json, one log line, counted by reason.
/// </summary>
internal sealed partial class RequestTargetScreening(RequestDelegate next, RequestScreeningMetrics metrics, ILogger<RequestTargetScreening> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        return RequestTargetRules.Judge(rawTarget) is { } ambiguity ? RefuseAsync(context, rawTarget, ambiguity) : next(context);
    }

    private Task RefuseAsync(HttpContext context, string rawTarget, PathAmbiguity ambiguity)
    {
        metrics.PathRefused(ambiguity);
        LogRefused(
            logger,
            ambiguity.ToCode(),
            LoggedTarget.Of(rawTarget),
            context.Connection.ClientCertificate?.Subject ?? "(none)",
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            context.TraceIdentifier);
        return AmbiguousPathResponse.WriteAsync(context, ambiguity);
    }

    [LoggerMessage(EventId = EventIds.AmbiguousPathRefused, EventName = nameof(EventIds.AmbiguousPathRefused), Level = LogLevel.Warning, Message = "Ambiguous request path refused: {Reason}: {Target} (subject '{Subject}', remote {RemoteAddress}, trace {TraceId})")]
    private static partial void LogRefused(ILogger logger, string reason, string target, string subject, string remoteAddress, string traceId);
}
