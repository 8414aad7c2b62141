namespace MtlsGateway.Settings;

/// <summary>What a configuration key holds; see <see cref="SettingShape"/>.</summary>
internal enum SettingKind
{
    Value,
    Section,
    NamedEntries,
    List,
    Any,
}
