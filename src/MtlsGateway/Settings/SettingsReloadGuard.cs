using Microsoft.Extensions.Primitives;

namespace MtlsGateway.Settings;

/// <summary>
/// Says, in one log line, when a configuration reload brings an unknown or misshapen key. The parts that reload
/// (authorization policies, YARP's routes and clusters) check the same <see cref="KnownSettings"/> and keep their last
/// good configuration.
/// </summary>
internal sealed partial class SettingsReloadGuard(IConfiguration configuration, KnownSettings known, ILogger<SettingsReloadGuard> logger) : IHostedService, IDisposable
{
    private IDisposable? subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        subscription = ChangeToken.OnChange(configuration.GetReloadToken, Check);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => subscription?.Dispose();

    private void Check()
    {
        if (known.Problem(configuration) is { } problem)
        {
            LogReloadRefused(logger, problem.ToString());
        }
    }

    [LoggerMessage(EventId = EventIds.ConfigurationReloadRefused, EventName = nameof(EventIds.ConfigurationReloadRefused), Level = LogLevel.Error, Message = "Configuration reload refused, the last good configuration stays in force: {Problem}")]
    private static partial void LogReloadRefused(ILogger logger, string problem);
}
