namespace MtlsGateway.Settings;

/// <summary>
/// A configuration section and the options type bound to it: its properties are the section's known keys. Each
/// feature registers its own (<see cref="SettingsServiceCollectionExtensions.AddValidatedOptions"/>).
/// </summary>
internal sealed record KnownSettingsSection(string Path, Type OptionsType);
