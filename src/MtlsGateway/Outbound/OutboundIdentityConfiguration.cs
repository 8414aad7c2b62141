using MtlsGateway.Hosting;
using MtlsGateway.Pkcs11.Identity;

namespace MtlsGateway.Outbound;

/// <summary>
/// Turns the bound <c>Gateway:OutboundIdentities</c> into identity definitions. Every problem is a
/// <see cref="GatewayConfigurationException"/> naming the exact key (unknown keys, such as a misspelt "PinFile", are
/// refused before this, by the known-settings check). Relative paths are resolved against the content root.
/// </summary>
internal static class OutboundIdentityConfiguration
{
    public static IReadOnlyList<OutboundIdentityDefinition> Read(OutboundIdentitiesOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [.. options.Select(entry => ReadOne(entry.Key, entry.Value, contentRoot))];
    }

    private static OutboundIdentityDefinition ReadOne(string name, OutboundIdentityOptions entry, string contentRoot)
    {
        var key = $"{OutboundIdentityDefinition.SectionName}:{name}";
        return (entry.Pkcs11, entry.File) switch
        {
            (not null, not null) => throw new GatewayConfigurationException(key, "set either Pkcs11 (a token key) or File (a software key), not both"),
            (null, null) => throw new GatewayConfigurationException(key, "set Pkcs11 (a token key) or File (a software key)"),
            ({ } token, null) => ReadToken(name, $"{key}:Pkcs11", token, contentRoot),
            (null, { } file) => ReadFile(name, $"{key}:File", file, contentRoot),
        };
    }

    private static TokenIdentityDefinition ReadToken(string name, string key, TokenIdentityOptions section, string contentRoot)
    {
        var modulePath = Text(section.ModulePath)
            ?? throw new GatewayConfigurationException($"{key}:ModulePath", "required: the PKCS#11 module of the card or HSM (e.g. /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so)");
        var options = new Pkcs11IdentityOptions(
            name, Path.GetFullPath(modulePath, contentRoot), Text(section.TokenLabel), Text(section.TokenSerial), Text(section.KeyLabel), Text(section.KeyId));
        if (options.Problem() is { } problem)
        {
            throw new GatewayConfigurationException(key, problem);
        }

        var pinFile = Text(section.PinFile);
        var pinVariable = Text(section.PinEnvironmentVariable);
        var pin = (pinFile, pinVariable) switch
        {
            (not null, not null) => throw new GatewayConfigurationException(key, "set either PinFile or PinEnvironmentVariable, not both"),
            (null, null) => throw new GatewayConfigurationException(key, "PinFile or PinEnvironmentVariable is required (the PIN itself is never a setting)"),
            (not null, _) => new PinSource($"{key}:PinFile", Path.GetFullPath(pinFile, contentRoot), null),
            _ => new PinSource($"{key}:PinEnvironmentVariable", null, pinVariable),
        };
        var certificatePath = Text(section.CertificatePath) is { } certificate ? Path.GetFullPath(certificate, contentRoot) : null;
        return new TokenIdentityDefinition(name, options, pin, certificatePath);
    }

    private static FileIdentityDefinition ReadFile(string name, string key, FileIdentityOptions section, string contentRoot)
    {
        var certificate = Text(section.CertificatePath) ?? throw new GatewayConfigurationException($"{key}:CertificatePath", "required");
        var privateKey = Text(section.KeyPath) ?? throw new GatewayConfigurationException($"{key}:KeyPath", "required");
        return new FileIdentityDefinition(name, Path.GetFullPath(certificate, contentRoot), Path.GetFullPath(privateKey, contentRoot));
    }

    private static string? Text(string? value) => !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
