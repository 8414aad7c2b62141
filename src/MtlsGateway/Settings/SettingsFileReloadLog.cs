using Microsoft.Extensions.Primitives;

namespace MtlsGateway.Settings;

/// <summary>
/// One log line when a settings file cannot be reloaded (broken, or a required file gone): the file, the 1-based line
/// and column of the mistake, and that the last good settings stay in force.
/// </summary>
internal sealed partial class SettingsFileReloadLog(IConfiguration configuration, ILogger<SettingsFileReloadLog> logger) : IHostedService, IDisposable
{
    private readonly List<LastGoodJsonConfigurationProvider> providers = configuration is IConfigurationRoot root ? [.. root.Providers.OfType<LastGoodJsonConfigurationProvider>()] : [];
    private IDisposable? subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var provider in providers)
        {
            provider.ReloadFailed += Log;
        }

        subscription = ChangeToken.OnChange(configuration.GetReloadToken, CheckRequiredFiles);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        subscription?.Dispose();
        foreach (var provider in providers)
        {
            provider.ReloadFailed -= Log;
        }
    }

    private void Log(Exception exception) => LogReloadFailed(logger, SettingsFileErrors.Describe(exception) ?? exception.Message);

    private void CheckRequiredFiles()
    {
        foreach (var provider in providers)
        {
            if (provider.KeepsWhenMissing && provider.FilePath is { } path && !File.Exists(path))
            {
                LogReloadFailed(logger, path + ": missing");
            }
        }
    }

    [LoggerMessage(EventId = EventIds.SettingsFileNotReloaded, EventName = nameof(EventIds.SettingsFileNotReloaded), Level = LogLevel.Error, Message = "Settings file not reloaded, the last good settings stay in force: {Problem}")]
    private static partial void LogReloadFailed(ILogger logger, string problem);
}
