namespace MtlsGateway.Outbound;

/// <summary>The cluster's outbound identity cannot be used now; YARP maps it to 502 Bad Gateway.</summary>
internal sealed class OutboundIdentityUnavailableException(string identity, string problem)
    : HttpRequestException($"outbound identity '{identity}' is unavailable: {problem}");
