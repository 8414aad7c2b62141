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

    /// <summary>Runs on the configuration's file-watcher thread: nothing may escape it, or the process ends.</summary>
    private void Check()
    {
        try
        {
            if (known.Problem(configuration) is { } problem)
            {
                LogReloadRefused(logger, problem.ToString());
            }
        }
#pragma warning disable CA1031 // A check that cannot run refuses nothing it could not see; the log says why.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogReloadRefused(logger, $"the reloaded configuration could not be checked ({e.GetType().Name}: {e.Message})");
        }
    }

    [LoggerMessage(EventId = EventIds.ConfigurationReloadRefused, EventName = nameof(EventIds.ConfigurationReloadRefused), Level = LogLevel.Error, Message = "Configuration reload refused, the last good configuration stays in force: {Problem}")]
    private static partial void LogReloadRefused(ILogger logger, string problem);
}
