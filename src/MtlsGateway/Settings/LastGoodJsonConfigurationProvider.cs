using Microsoft.Extensions.Configuration.Json;

namespace MtlsGateway.Settings;

/// <summary>
/// A JSON settings file reloaded on change that never loses what it last read well. The configuration library empties
/// a file's settings when a reload finds it unparsable (an editor's half-written save, garbage copied over it) and when a
/// required file vanishes (a non-atomic <c>rm; cp</c> deploy): every route, policy and trust setting of the file would
/// disappear at once. Here a broken file keeps its last good settings and raises <see cref="ReloadFailed"/> (logged by
/// <see cref="SettingsFileReloadLog"/>); a vanished appsettings.json keeps them too. At start-up a broken file still fails.
/// </summary>
internal sealed class LastGoodJsonConfigurationProvider : JsonConfigurationProvider
{
    private IDictionary<string, string?>? lastGood;
    private bool started;

    public LastGoodJsonConfigurationProvider(LastGoodJsonConfigurationSource source)
        : base(source)
    {
        source.OnLoadException = KeepLastGood;
    }

    /// <summary>A reload failed; the argument is the exception (its message names the file).</summary>
    public event Action<Exception>? ReloadFailed;

    /// <summary>The settings file's full path, for messages.</summary>
    public string? FilePath => Source.FileProvider?.GetFileInfo(Source.Path ?? string.Empty).PhysicalPath;

    public override void Load()
    {
        base.Load();
        started = true;
    }

    public override void Load(Stream stream)
    {
        base.Load(stream);
        lastGood = Data;
    }

    public override bool TryGet(string key, out string? value) => Served.TryGetValue(key, out value);

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var keys = new List<string>(earlierKeys);
        var prefix = parentPath is null ? string.Empty : parentPath + ConfigurationPath.KeyDelimiter;
        foreach (var key in Served.Keys)
        {
            if (key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var rest = key.AsSpan(prefix.Length);
                var end = rest.IndexOf(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
                keys.Add(end < 0 ? rest.ToString() : rest[..end].ToString());
            }
        }

        keys.Sort(ConfigurationKeyComparer.Instance);
        return keys;
    }

    /// <summary>An environment's file may be removed on purpose; the gateway's own appsettings.json is never meant to vanish.</summary>
    private IDictionary<string, string?> Served => KeepsWhenMissing && lastGood is not null ? lastGood : Data;

    /// <summary>Whether a vanished file keeps its last good settings (appsettings.json, which start-up requires).</summary>
    public bool KeepsWhenMissing => ((LastGoodJsonConfigurationSource)Source).KeepWhenMissing;

    private void KeepLastGood(FileLoadExceptionContext context)
    {
        if (!started)
        {
            // The first load: start-up reports the file (one line, with the line and column).
            return;
        }

        Data = lastGood ?? new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        context.Ignore = true;
        ReloadFailed?.Invoke(context.Exception);
    }
}
