using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Telemetry;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Chains;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// Judges the client certificate of every request before anything else runs: the handshake only required one.
/// A refused request ends here with 403 and a problem+json body naming the reason; an accepted one carries its verdict on.
/// </summary>
internal sealed partial class ClientCertificateValidationMiddleware(
    RequestDelegate next,
    ClientConnectionRegistry connections,
    ConnectionVerdicts verdicts,
    VerdictIdentities identities,
    GatewayMetrics metrics,
    ILogger<ClientCertificateValidationMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            // The handshake asks for a certificate but lets a client without one finish, so it gets an answer here.
            metrics.RequestRefused(RefusalReason.CertificateRequired);
            LogNoCertificate(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return RefusalResponse.WriteAsync(context, RefusalReason.CertificateRequired, "no client certificate was presented; this gateway requires one");
        }

        var connection = connections.StateOf(certificate);
        var pending = verdicts.GetAsync(certificate, connection, context.RequestAborted);

        // The connection's verdict is usually current: then no state machine is allocated for this request.
        return pending.IsCompletedSuccessfully
            ? Continue(context, certificate, connection, pending.Result)
            : ContinueAsync(context, certificate, connection, pending);
    }

    private async Task ContinueAsync(HttpContext context, X509Certificate2 certificate, ClientConnectionState connection, ValueTask<ValidationVerdict> pending) =>
        await Continue(context, certificate, connection, await pending.ConfigureAwait(false)).ConfigureAwait(false);

    private Task Continue(HttpContext context, X509Certificate2 certificate, ClientConnectionState connection, ValidationVerdict verdict)
    {
        if (!verdict.Accepted)
        {
            var reason = verdict.Refusal!.Value;
            metrics.RequestRefused(reason);
            // The refused certificate's fields may be what could not be read: never read them unguarded.
            LogRefused(logger, CertificateFields.Subject(certificate), CertificateFields.Issuer(certificate), CertificateFields.SerialNumber(certificate), certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), reason.ToCode(), verdict.Detail);
            return RefusalResponse.WriteAsync(context, reason, verdict.Detail);
        }

        context.Features.Set<IClientCertificateVerdictFeature>(connection.FeatureFor(verdict, identities));
        return next(context);
    }

    [LoggerMessage(EventId = EventIds.ClientCertificateRefused, EventName = nameof(EventIds.ClientCertificateRefused), Level = LogLevel.Warning, Message = "Client certificate refused: {Reason}: {Detail} (subject '{Subject}', issuer '{Issuer}', serial {SerialNumber}, sha256 {Thumbprint})")]
    private static partial void LogRefused(ILogger logger, string subject, string issuer, string serialNumber, string thumbprint, string reason, string detail);

    [LoggerMessage(EventId = EventIds.RequestWithoutClientCertificate, EventName = nameof(EventIds.RequestWithoutClientCertificate), Level = LogLevel.Warning, Message = "Request without a client certificate refused (remote {RemoteAddress})")]
    private static partial void LogNoCertificate(ILogger logger, string remoteAddress);
}
