using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace MtlsGateway.Tls;

/// <summary>
/// At least one endpoint, every endpoint <c>https://</c>, and every server certificate named in <c>Kestrel</c> usable
/// (<see cref="ServerCertificateCheck"/>): a bad file stops the gateway with the key that names it, not with an
/// exception from inside Kestrel. A certificate that is not valid yet is only a warning: it becomes usable by itself.
/// </summary>
internal sealed partial class KestrelTlsOptionsValidator(IHostEnvironment environment, TimeProvider timeProvider, ILogger<KestrelTlsOptionsValidator> logger) : IValidateOptions<KestrelTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, KestrelTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Endpoints.Count == 0)
        {
            failures.Add($"{KestrelTlsOptions.SectionName}:Endpoints: no endpoint is configured; the gateway listens only on the https:// endpoints named there (for example {KestrelTlsOptions.SectionName}:Endpoints:Gateway:Url = https://0.0.0.0:8443)");
        }

        foreach (var (endpoint, settings) in options.Endpoints)
        {
            var url = settings.Url ?? string.Empty;
            if (!url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{KestrelTlsOptions.SectionName}:Endpoints:{endpoint}:Url: '{url}' is not an https:// URL; every gateway endpoint terminates mutual TLS");
            }

            foreach (var (host, sni) in settings.Sni)
            {
                var key = $"{KestrelTlsOptions.SectionName}:Endpoints:{endpoint}:Sni:{host}";
                // Kestrel applies a host name's mode itself, past the gateway's per-endpoint enforcement: anything but
                // Allow would either skip the certificate request or drop certificate-less clients without an answer.
                if (sni.ClientCertificateMode is { } mode and not ClientCertificateMode.AllowCertificate)
                {
                    failures.Add($"{key}:ClientCertificateMode: {mode} is not applied per host name; the gateway asks every client for a certificate and answers one without it 403 certificate-required (remove the setting)");
                }

                if (sni.SslProtocols?.FirstOrDefault(protocol => (protocol & ~MutualTlsKestrelSetup.AllowedProtocols) != SslProtocols.None) is { } weak and not SslProtocols.None)
                {
                    failures.Add($"{key}:SslProtocols: {weak} is not offered; the gateway runs TLS 1.2 and 1.3 only (Tls12, Tls13)");
                }
            }
        }

        var now = timeProvider.GetUtcNow();
        foreach (var (key, certificate) in options.ServerCertificates.Where(entry => entry.Certificate.Path is not null))
        {
            var (problem, warning) = ServerCertificateCheck.Check(key, certificate, environment.ContentRootPath, now);
            if (problem is not null)
            {
                failures.Add(problem);
            }
            else if (warning is not null)
            {
                LogNotYetValid(logger, warning);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [LoggerMessage(EventId = EventIds.ServerCertificateNotYetValid, EventName = nameof(EventIds.ServerCertificateNotYetValid), Level = LogLevel.Warning, Message = "{Problem}")]
    private static partial void LogNotYetValid(ILogger logger, string problem);
}
