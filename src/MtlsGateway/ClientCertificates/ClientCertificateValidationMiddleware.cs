using MtlsGateway.Telemetry;
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
    GatewayMetrics metrics,
    ILogger<ClientCertificateValidationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            // The handshake asks for a certificate but lets a client without one finish, so it gets an answer here.
            metrics.RequestRefused(RefusalReason.CertificateRequired);
            LogNoCertificate(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            await RefusalResponse.WriteAsync(context, RefusalReason.CertificateRequired, "no client certificate was presented; this gateway requires one").ConfigureAwait(false);
            return;
        }

        var connection = connections.StateOf(certificate);
        var verdict = await verdicts.GetAsync(certificate, connection, context.RequestAborted).ConfigureAwait(false);
        if (!verdict.Accepted)
        {
            var reason = verdict.Refusal!.Value;
            metrics.RequestRefused(reason);
            LogRefused(logger, certificate.Subject, certificate.Issuer, certificate.SerialNumber, certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), reason.ToCode(), verdict.Detail);
            await RefusalResponse.WriteAsync(context, reason, verdict.Detail).ConfigureAwait(false);
            return;
        }

        context.Features.Set<IClientCertificateVerdictFeature>(new ClientCertificateVerdictFeature(verdict, connection));
        await next(context).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = EventIds.ClientCertificateRefused, EventName = nameof(EventIds.ClientCertificateRefused), Level = LogLevel.Warning, Message = "Client certificate refused: {Reason}: {Detail} (subject '{Subject}', issuer '{Issuer}', serial {SerialNumber}, sha256 {Thumbprint})")]
    private static partial void LogRefused(ILogger logger, string subject, string issuer, string serialNumber, string thumbprint, string reason, string detail);

    [LoggerMessage(EventId = EventIds.RequestWithoutClientCertificate, EventName = nameof(EventIds.RequestWithoutClientCertificate), Level = LogLevel.Warning, Message = "Request without a client certificate refused (remote {RemoteAddress})")]
    private static partial void LogNoCertificate(ILogger logger, string remoteAddress);
}
