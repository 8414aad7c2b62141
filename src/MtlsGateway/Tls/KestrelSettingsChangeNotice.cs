using Microsoft.Extensions.Primitives;

namespace MtlsGateway.Tls;

/// <summary>
/// Kestrel's endpoints and server certificates are read once, at start-up, where they are checked (mutual TLS only,
/// https only, a key that matches its certificate). Kestrel's own reload would re-read them unchecked (a plain-http
/// endpoint, a mismatched key taking an endpoint down), so it is off; this says in one log line when the file's
/// <c>Kestrel</c> settings change while running, so the operator knows a restart applies them.
/// </summary>
internal sealed partial class KestrelSettingsChangeNotice(IConfiguration configuration, ILogger<KestrelSettingsChangeNotice> logger) : IHostedService, IDisposable
{
    private Dictionary<string, string?> applied = [];
    private IDisposable? subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        applied = Snapshot();
        subscription = ChangeToken.OnChange(configuration.GetReloadToken, Check);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => subscription?.Dispose();

    private void Check()
    {
        var current = Snapshot();
        var changed = current.Keys.Union(applied.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(key => !current.TryGetValue(key, out var now) | !applied.TryGetValue(key, out var before) || !string.Equals(now, before, StringComparison.Ordinal))
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (changed.Count > 0)
        {
            LogNotApplied(logger, string.Join(", ", changed.Take(5)) + (changed.Count > 5 ? $" (+{changed.Count - 5} more)" : string.Empty));
        }
    }

    private Dictionary<string, string?> Snapshot() =>
        configuration.GetSection(KestrelTlsOptions.SectionName).AsEnumerable(makePathsRelative: false)
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);

    [LoggerMessage(EventId = EventIds.KestrelSettingsNotReloaded, EventName = nameof(EventIds.KestrelSettingsNotReloaded), Level = LogLevel.Warning, Message = "Kestrel settings changed while running and are not applied (endpoints and server certificates are checked at start-up; restart to apply): {Keys}")]
    private static partial void LogNotApplied(ILogger logger, string keys);
}
