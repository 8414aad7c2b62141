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
