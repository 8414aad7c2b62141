using MtlsGateway.Telemetry;

namespace MtlsGateway.RequestScreening;

/// <summary>
/// Removes, before anything reads them, the request headers a client must not send upstream: client-identity
/// headers (<see cref="ClientIdentityHeaders"/>), which only the gateway may set, and, unless
/// <c>AllowUnderscoresInHeaderNames</c>, every header whose name holds '_'. Each removal is counted; it is logged at
/// debug level only, since a client decides how many there are.
/// </summary>
internal sealed partial class RequestHeaderScreening(
    RequestDelegate next,
    ClientIdentityHeaders identityHeaders,
    Microsoft.Extensions.Options.IOptions<RequestHeaderOptions> options,
    RequestScreeningMetrics metrics,
    ILogger<RequestHeaderScreening> logger)
{
    public const string ClientIdentityReason = "client-identity";
    public const string UnderscoreReason = "underscore";

    private readonly bool allowUnderscores = options.Value.AllowUnderscoresInHeaderNames;

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        List<(string Name, string Reason)>? removals = null;
        foreach (var header in headers)
        {
            var reason = identityHeaders.Contains(header.Key) ? ClientIdentityReason
                : !allowUnderscores && header.Key.Contains('_', StringComparison.Ordinal) ? UnderscoreReason
                : null;
            if (reason is not null)
            {
                (removals ??= []).Add((header.Key, reason));
            }
        }

        if (removals is not null)
        {
            foreach (var (name, reason) in removals)
            {
                headers.Remove(name);
                metrics.HeaderRemoved(reason);
                LogRemoved(logger, name, reason, context.Connection.RemoteIpAddress);
            }
        }

        return next(context);
    }

    [LoggerMessage(EventId = EventIds.RequestHeaderRemoved, EventName = nameof(EventIds.RequestHeaderRemoved), Level = LogLevel.Debug, Message = "Request header {Header} removed ({Reason}) (remote {RemoteAddress})")]
    private static partial void LogRemoved(ILogger logger, string header, string reason, System.Net.IPAddress? remoteAddress);
}
