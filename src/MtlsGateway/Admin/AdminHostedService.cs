using Microsoft.Extensions.Options;

namespace MtlsGateway.Admin;

/// <summary>Starts and stops the admin listener with the gateway, and says at start where it listens (or that it is off).</summary>
internal sealed partial class AdminHostedService(AdminListener listener, IOptions<AdminOptions> options, ILogger<AdminHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        await listener.StartAsync(cancellationToken).ConfigureAwait(false);
        LogListening(logger, listener.Address!);
    }

    public Task StopAsync(CancellationToken cancellationToken) => listener.StopAsync(cancellationToken);

    [LoggerMessage(EventId = EventIds.AdminListening, EventName = nameof(EventIds.AdminListening), Level = LogLevel.Information, Message = "Admin listener on {Address} (Gateway:Admin:Url): /healthz/live, /healthz/ready, /status, /metrics")]
    private static partial void LogListening(ILogger logger, Uri address);

    [LoggerMessage(EventId = EventIds.AdminDisabled, EventName = nameof(EventIds.AdminDisabled), Level = LogLevel.Warning, Message = "Admin listener off (Gateway:Admin:Enabled is false): no /healthz, /status or /metrics")]
    private static partial void LogDisabled(ILogger logger);
}
