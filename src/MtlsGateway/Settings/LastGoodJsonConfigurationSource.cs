using Microsoft.Extensions.Configuration.Json;

namespace MtlsGateway.Settings;

/// <summary>A JSON settings file that keeps its last good content when a reload finds it broken (see <see cref="LastGoodJsonConfigurationProvider"/>).</summary>
internal sealed class LastGoodJsonConfigurationSource : JsonConfigurationSource
{
    /// <summary>A vanished file keeps its last good settings instead of emptying them.</summary>
    public bool KeepWhenMissing { get; init; }

    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new LastGoodJsonConfigurationProvider(this);
    }

    /// <summary>The same file, read the same way, keeping its last good content.</summary>
    public static LastGoodJsonConfigurationSource From(JsonConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new LastGoodJsonConfigurationSource
        {
            FileProvider = source.FileProvider,
            Path = source.Path ?? throw new ArgumentException("a JSON settings source without a path", nameof(source)),
            Optional = source.Optional,
            ReloadOnChange = source.ReloadOnChange,
            ReloadDelay = source.ReloadDelay,
            KeepWhenMissing = string.Equals(System.IO.Path.GetFileName(source.Path), "appsettings.json", StringComparison.OrdinalIgnoreCase),
        };
    }
}
