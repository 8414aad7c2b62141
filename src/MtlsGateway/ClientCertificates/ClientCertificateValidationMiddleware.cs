using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Mvc;
using MtlsGateway.Proxy;
using MtlsGateway.Telemetry;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Identity;

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
        // Before anything can read them: a client never gets to assert its own identity through headers.
        ClientIdentityHeaders.RemoveFrom(context.Request.Headers);

        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            // Kestrel requires a certificate in the handshake, so this only happens if an endpoint escaped that setting.
            metrics.RequestRefused(RefusalReason.Untrusted);
            LogNoCertificate(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            await RefusalResponse.WriteAsync(context, RefusalReason.Untrusted, "no client certificate was presented").ConfigureAwait(false);
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

/// <summary>The accepted verdict of the request's client certificate, for authorization and identity forwarding.</summary>
public interface IClientCertificateVerdictFeature
{
    ValidationVerdict Verdict { get; }

    /// <summary>The client's identity (names, alternative names, pins), read once per connection.</summary>
    CertificateIdentity Identity { get; }

    /// <summary>The intermediates the client sent in its handshake.</summary>
    IReadOnlyList<X509Certificate2> PresentedIntermediates { get; }
}

internal sealed class ClientCertificateVerdictFeature(ValidationVerdict verdict, ClientConnectionState connection) : IClientCertificateVerdictFeature
{
    public ValidationVerdict Verdict { get; } = verdict;

    public CertificateIdentity Identity => connection.IdentityOf(Verdict.Path[0]);

    public IReadOnlyList<X509Certificate2> PresentedIntermediates => connection.PresentedIntermediates;
}

/// <summary>Writes the RFC 7807 refusal. Only the reason and an operator-safe detail go out: no paths, no stack traces.</summary>
internal static class RefusalResponse
{
    public const string ProblemType = "urn:mtlsgateway:problem:client-certificate-refused";

    public static Task WriteAsync(HttpContext context, RefusalReason reason, string detail, string? policy = null)
    {
        var problem = new ProblemDetails
        {
            Type = ProblemType,
            Title = "Client certificate refused",
            Status = StatusCodes.Status403Forbidden,
            Detail = detail,
        };
        problem.Extensions["reason"] = reason.ToCode();
        if (policy is not null)
        {
            problem.Extensions["policy"] = policy;
        }

        problem.Extensions["traceId"] = context.TraceIdentifier;
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
    }
}
