using System.Diagnostics.Metrics;
using MtlsGateway.RequestScreening;

namespace MtlsGateway.Telemetry;

/// <summary>Request screening instruments on the gateway's <c>MtlsGateway</c> meter: refused request targets, removed headers.</summary>
internal sealed class RequestScreeningMetrics
{
    private readonly Counter<long> refusedPaths;
    private readonly Counter<long> removedHeaders;

    public RequestScreeningMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(GatewayMetrics.MeterName);
        refusedPaths = meter.CreateCounter<long>("mtlsgateway.request_paths.refused", "{request}", "Requests refused for an ambiguous request target, by reason");
        removedHeaders = meter.CreateCounter<long>("mtlsgateway.request_headers.removed", "{header}", "Request headers removed before anything read them, by reason (client-identity, underscore)");
    }

    public void PathRefused(PathAmbiguity ambiguity) => refusedPaths.Add(1, new KeyValuePair<string, object?>("reason", ambiguity.ToCode()));

    public void HeaderRemoved(string reason) => removedHeaders.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
