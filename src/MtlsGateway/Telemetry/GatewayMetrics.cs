using System.Diagnostics.Metrics;
using MtlsGateway.Validation.Path;

namespace MtlsGateway.Telemetry;

/// <summary>The gateway's own instruments, on the <c>MtlsGateway</c> meter, named in OpenTelemetry style.</summary>
/// <remarks>
/// Revocation (issue 3) and outbound identities (issue 4) report through the methods and sources marked
/// "extension point": the instruments exist already, so dashboards and alerts have stable names before those land.
/// </remarks>
public sealed class GatewayMetrics
{
    public const string MeterName = "MtlsGateway";

    private readonly Counter<long> validations;
    private readonly Histogram<double> validationDuration;
    private readonly Counter<long> refusals;
    private readonly Counter<long> handshakes;
    private readonly Counter<long> authorizationDecisions;
    private readonly Counter<long> revocationChecks;
    private readonly Histogram<double> revocationFetchDuration;
    private readonly Histogram<double> tokenSigningDuration;
    private readonly Counter<long> tokenSigningFailures;
    private readonly IReadOnlyList<ICertificateExpirySource> expirySources;
    private readonly IReadOnlyList<ICrlFreshnessSource> crlSources;
    private readonly TimeProvider timeProvider;

    public GatewayMetrics(IMeterFactory meterFactory)
        : this(meterFactory, [], [], TimeProvider.System)
    {
    }

    public GatewayMetrics(IMeterFactory meterFactory, IEnumerable<ICertificateExpirySource> expirySources, IEnumerable<ICrlFreshnessSource> crlSources, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.expirySources = [.. expirySources];
        this.crlSources = [.. crlSources];
        this.timeProvider = timeProvider;
        var meter = meterFactory.Create(MeterName);
        validations = meter.CreateCounter<long>("mtlsgateway.client_certificate.validations", "{validation}", "Client certificate chains judged (not reused from a cache)");
        validationDuration = meter.CreateHistogram<double>("mtlsgateway.client_certificate.validation.duration", "s", "Time to judge one client certificate chain");
        refusals = meter.CreateCounter<long>("mtlsgateway.requests.refused", "{request}", "Requests refused, by reason");
        handshakes = meter.CreateCounter<long>("mtlsgateway.tls.handshakes", "{handshake}", "TLS handshakes that presented a client certificate");
        authorizationDecisions = meter.CreateCounter<long>("mtlsgateway.authorization.decisions", "{decision}", "Authorization decisions by route, policy and result");
        meter.CreateObservableGauge("mtlsgateway.certificate.time_until_expiry", ObserveExpiries, "s", "Seconds until a certificate the gateway depends on expires (negative once expired), by role and subject");
        revocationChecks = meter.CreateCounter<long>("mtlsgateway.revocation.checks", "{check}", "Revocation checks by source (crl, ocsp) and result (good, revoked, unknown, error)");
        revocationFetchDuration = meter.CreateHistogram<double>("mtlsgateway.revocation.fetch.duration", "s", "Time to fetch a CRL or an OCSP response, by source and outcome");
        meter.CreateObservableGauge("mtlsgateway.revocation.crl.time_until_next_update", ObserveCrls, "s", "Seconds until a CRL's nextUpdate (negative once stale), by issuer");
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

    public void AuthorizationDecided(string route, string policy, string result) => authorizationDecisions.Add(
        1,
        new KeyValuePair<string, object?>("route", route),
        new KeyValuePair<string, object?>("policy", policy),
        new KeyValuePair<string, object?>("result", result));

    /// <summary>Extension point for revocation (issue 3): one check of one certificate.</summary>
    /// <param name="source"><c>crl</c> or <c>ocsp</c>.</param>
    /// <param name="result"><c>good</c>, <c>revoked</c>, <c>unknown</c> or <c>error</c>.</param>
    public void RevocationChecked(string source, string result) => revocationChecks.Add(
        1,
        new KeyValuePair<string, object?>("source", source),
        new KeyValuePair<string, object?>("result", result));

    /// <summary>Extension point for revocation (issue 3): one CRL download or OCSP request.</summary>
    /// <param name="outcome"><c>success</c>, <c>timeout</c> or <c>error</c>.</param>
    public void RevocationFetched(string source, string outcome, TimeSpan duration) => revocationFetchDuration.Record(
        duration.TotalSeconds,
        new KeyValuePair<string, object?>("source", source),
        new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Extension point for outbound identities (issue 4): one signature made by a token.</summary>
    public void TokenSigned(string identity, TimeSpan duration) => tokenSigningDuration.Record(
        duration.TotalSeconds,
        new KeyValuePair<string, object?>("identity", identity));

    /// <summary>Extension point for outbound identities (issue 4): a signature the token refused or could not make.</summary>
    /// <param name="reason">A short code such as <c>token_absent</c>, <c>login_failed</c> or <c>sign_failed</c>; never a PIN or key material.</param>
    public void TokenSigningFailed(string identity, string reason) => tokenSigningFailures.Add(
        1,
        new KeyValuePair<string, object?>("identity", identity),
        new KeyValuePair<string, object?>("reason", reason));

    private IEnumerable<Measurement<double>> ObserveExpiries()
    {
        var now = timeProvider.GetUtcNow();
        return expirySources.SelectMany(source => source.Current()).Select(expiry => new Measurement<double>(
            (expiry.NotAfter - now).TotalSeconds,
            new KeyValuePair<string, object?>("role", expiry.Role),
            new KeyValuePair<string, object?>("subject", expiry.Subject)));
    }

    private IEnumerable<Measurement<double>> ObserveCrls()
    {
        var now = timeProvider.GetUtcNow();
        return crlSources.SelectMany(source => source.Current()).Select(crl => new Measurement<double>(
            (crl.NextUpdate - now).TotalSeconds,
            new KeyValuePair<string, object?>("issuer", crl.Issuer)));
    }
}
