namespace MtlsGateway.Outbound;

/// <summary>
/// Refuses to send a cluster's request while its outbound identity is unavailable (token pulled, HSM down): YARP then
/// answers 502. Without it, connections already pooled would carry on without the token, and new handshakes would go
/// out without a client certificate.
/// </summary>
internal sealed partial class OutboundIdentityGuard(string clusterId, OutboundIdentity identity, ILogger logger) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (identity.Problem is { } problem)
        {
            LogRefused(clusterId, identity.Name, problem);
            throw new OutboundIdentityUnavailableException(identity.Name, problem);
        }

        return base.SendAsync(request, cancellationToken);
    }

    [LoggerMessage(EventId = EventIds.RequestNotSentIdentityUnavailable, EventName = nameof(EventIds.RequestNotSentIdentityUnavailable), Level = LogLevel.Error, Message = "Request to cluster {ClusterId} not sent (502): outbound identity '{Identity}' is unavailable: {Problem}")]
    private partial void LogRefused(string clusterId, string identity, string problem);
}
