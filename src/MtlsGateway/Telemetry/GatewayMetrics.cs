using System.Diagnostics.Metrics;
using MtlsGateway.Validation.Path;

namespace MtlsGateway.Telemetry;

/// <summary>The gateway's own instruments, on the <c>MtlsGateway</c> meter, named in OpenTelemetry style.</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "MtlsGateway";

    private readonly Counter<long> validations;
    private readonly Histogram<double> validationDuration;
    private readonly Counter<long> refusals;
    private readonly Counter<long> handshakes;
    private readonly Counter<long> authorizationDecisions;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        validations = meter.CreateCounter<long>("mtlsgateway.client_certificate.validations", "{validation}", "Client certificate chains judged (not reused from a cache)");
        validationDuration = meter.CreateHistogram<double>("mtlsgateway.client_certificate.validation.duration", "s", "Time to judge one client certificate chain");
        refusals = meter.CreateCounter<long>("mtlsgateway.requests.refused", "{request}", "Requests refused, by reason");
        handshakes = meter.CreateCounter<long>("mtlsgateway.tls.handshakes", "{handshake}", "TLS handshakes that presented a client certificate");
        authorizationDecisions = meter.CreateCounter<long>("mtlsgateway.authorization.decisions", "{decision}", "Authorization decisions by route, policy and result");
    }

    public void ValidationCompleted(ValidationVerdict verdict, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var result = new KeyValuePair<string, object?>("result", verdict.Accepted ? "accepted" : "refused");
        var reason = new KeyValuePair<string, object?>("reason", verdict.Refusal?.ToCode() ?? "none");
        validations.Add(1, result, reason);
        validationDuration.Record(duration.TotalSeconds, result);
    }

    public void RequestRefused(RefusalReason reason) => refusals.Add(1, new KeyValuePair<string, object?>("reason", reason.ToCode()));

    public void HandshakeWithClientCertificate() => handshakes.Add(1);

    public void AuthorizationDecided(string route, string policy, string result) => authorizationDecisions.Add(
        1,
        new KeyValuePair<string, object?>("route", route),
        new KeyValuePair<string, object?>("policy", policy),
        new KeyValuePair<string, object?>("result", result));
}
