using System.Diagnostics.Metrics;
using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Telemetry;

/// <summary>The gateway's own instruments, on the <c>MtlsGateway</c> meter, named in OpenTelemetry style.</summary>
/// <remarks>
/// Revocation (<see cref="RevocationMetrics"/>) and request screening (<see cref="RequestScreeningMetrics"/>) have
/// their own instruments on this meter. Outbound identities report through the methods and sources marked "extension
/// point" (the token signing check, and their certificates' expiry through <see cref="ICertificateExpirySource"/>).
/// </remarks>
public sealed class GatewayMetrics
{
    public const string MeterName = "MtlsGateway";

    private readonly Counter<long> validations;
    private readonly Histogram<double> validationDuration;
    private readonly Counter<long> refusals;
    private readonly Counter<long> handshakes;
    private readonly Counter<long> handshakeFailures;
    private readonly Counter<long> authorizationDecisions;
    private readonly Histogram<double> tokenSigningDuration;
    private readonly Counter<long> tokenSigningFailures;
    private readonly IReadOnlyList<ICertificateExpirySource> expirySources;
    private readonly TimeProvider timeProvider;

    public GatewayMetrics(IMeterFactory meterFactory)
        : this(meterFactory, [], TimeProvider.System)
    {
    }

    public GatewayMetrics(IMeterFactory meterFactory, IEnumerable<ICertificateExpirySource> expirySources, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.expirySources = [.. expirySources];
        this.timeProvider = timeProvider;
        var meter = meterFactory.Create(MeterName);
        validations = meter.CreateCounter<long>("mtlsgateway.client_certificate.validations", "{validation}", "Client certificate chains judged (not reused from a cache)");
        validationDuration = meter.CreateHistogram<double>("mtlsgateway.client_certificate.validation.duration", "s", "Time to judge one client certificate chain");
        refusals = meter.CreateCounter<long>("mtlsgateway.requests.refused", "{request}", "Requests refused, by reason");
        handshakes = meter.CreateCounter<long>("mtlsgateway.tls.handshakes", "{handshake}", "TLS handshakes that presented a client certificate");
        handshakeFailures = meter.CreateCounter<long>("mtlsgateway.tls.handshake.failures", "{handshake}", "TLS handshakes that failed on the client's certificate, by reason");
        authorizationDecisions = meter.CreateCounter<long>("mtlsgateway.authorization.decisions", "{decision}", "Authorization decisions by route, policy and result");
        meter.CreateObservableGauge("mtlsgateway.certificate.time_until_expiry", ObserveExpiries, "s", "Seconds until a certificate the gateway depends on expires (negative once expired), by role and subject");
        tokenSigningDuration = meter.CreateHistogram<double>("mtlsgateway.token.signing.duration", "s", "Time for a token (PKCS#11) to sign, by outbound identity");
        tokenSigningFailures = meter.CreateCounter<long>("mtlsgateway.token.signing.failures", "{failure}", "Signatures a token could not make, by outbound identity and reason");
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

    /// <summary>A handshake that failed on the client's certificate; <paramref name="reason"/> is a fixed code such as <c>too-many-certificates</c>.</summary>
    public void HandshakeFailed(string reason) => handshakeFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void AuthorizationDecided(string route, string policy, string result) => authorizationDecisions.Add(
        1,
        new KeyValuePair<string, object?>("route", route),
        new KeyValuePair<string, object?>("policy", policy),
        new KeyValuePair<string, object?>("result", result));

    /// <summary>Extension point for outbound identities: one signature made by a token.</summary>
    public void TokenSigned(string identity, TimeSpan duration) => tokenSigningDuration.Record(
        duration.TotalSeconds,
        new KeyValuePair<string, object?>("identity", identity));

    /// <summary>Extension point for outbound identities: a signature the token refused or could not make.</summary>
    /// <param name="reason">A short code such as <c>token_absent</c>, <c>login_failed</c> or <c>sign_failed</c>; never a PIN or key material.</param>
    public void TokenSigningFailed(string identity, string reason) => tokenSigningFailures.Add(
        1,
        new KeyValuePair<string, object?>("identity", identity),
        new KeyValuePair<string, object?>("reason", reason));

    private IEnumerable<Measurement<double>> ObserveExpiries()
    {
        var now = timeProvider.GetUtcNow();
        return expirySources.SelectMany(ExpiriesOf).Select(expiry => new Measurement<double>(
            (expiry.NotAfter - now).TotalSeconds,
            new KeyValuePair<string, object?>("role", expiry.Role),
            new KeyValuePair<string, object?>("subject", expiry.Subject)));
    }

    /// <summary>A collection callback runs on the exporter's thread: a source that fails reports nothing, the others still do.</summary>
    private static IReadOnlyList<CertificateExpiry> ExpiriesOf(ICertificateExpirySource source)
    {
        try
        {
            return [.. source.Current()];
        }
#pragma warning disable CA1031 // A metric is never worth a failed scrape or export.
        catch (Exception)
#pragma warning restore CA1031
        {
            return [];
        }
    }

}
