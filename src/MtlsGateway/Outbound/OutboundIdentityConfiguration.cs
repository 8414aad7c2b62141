using MtlsGateway.Hosting;
using MtlsGateway.Pkcs11.Identity;

namespace MtlsGateway.Outbound;

/// <summary>
/// Reads <c>Gateway:OutboundIdentities</c>. Every problem is a <see cref="GatewayConfigurationException"/> naming the
/// exact key; unknown settings are refused too (a misspelt "PinFile" must not silently mean "no PIN").
/// Relative paths are resolved against the content root.
/// </summary>
internal static class OutboundIdentityConfiguration
{
    private static readonly string[] TokenSettings =
        ["ModulePath", "TokenLabel", "TokenSerial", "KeyLabel", "KeyId", "PinFile", "PinEnvironmentVariable", "CertificatePath"];

    private static readonly string[] FileSettings = ["CertificatePath", "KeyPath"];

    public static IReadOnlyList<OutboundIdentityDefinition> Read(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var definitions = new List<OutboundIdentityDefinition>();
        foreach (var entry in configuration.GetSection(OutboundIdentityDefinition.SectionName).GetChildren())
        {
            definitions.Add(ReadOne(entry, contentRoot));
        }

        return definitions;
    }

    private static OutboundIdentityDefinition ReadOne(IConfigurationSection entry, string contentRoot)
    {
        var key = $"{OutboundIdentityDefinition.SectionName}:{entry.Key}";
        var token = entry.GetSection("Pkcs11");
        var file = entry.GetSection("File");
        foreach (var child in entry.GetChildren().Where(c => c.Key is not ("Pkcs11" or "File")))
        {
            throw new GatewayConfigurationException($"{key}:{child.Key}", "unknown setting; an outbound identity has a Pkcs11 or a File section");
        }

        return (token.Exists(), file.Exists()) switch
        {
            (true, true) => throw new GatewayConfigurationException(key, "set either Pkcs11 (a token key) or File (a software key), not both"),
            (false, false) => throw new GatewayConfigurationException(key, "set Pkcs11 (a token key) or File (a software key)"),
            (true, false) => ReadToken(entry.Key, $"{key}:Pkcs11", token, contentRoot),
            _ => ReadFile(entry.Key, $"{key}:File", file, contentRoot),
        };
    }

    private static TokenIdentityDefinition ReadToken(string name, string key, IConfigurationSection section, string contentRoot)
    {
        RefuseUnknown(key, section, TokenSettings);
        var modulePath = Text(section, "ModulePath")
            ?? throw new GatewayConfigurationException($"{key}:ModulePath", "required: the PKCS#11 module of the card or HSM (e.g. /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so)");
        var options = new Pkcs11IdentityOptions(
            name, Path.GetFullPath(modulePath, contentRoot), Text(section, "TokenLabel"), Text(section, "TokenSerial"), Text(section, "KeyLabel"), Text(section, "KeyId"));
        if (options.Problem() is { } problem)
        {
            throw new GatewayConfigurationException(key, problem);
        }

        var pinFile = Text(section, "PinFile");
        var pinVariable = Text(section, "PinEnvironmentVariable");
        var pin = (pinFile, pinVariable) switch
        {
            (not null, not null) => throw new GatewayConfigurationException(key, "set either PinFile or PinEnvironmentVariable, not both"),
            (null, null) => throw new GatewayConfigurationException(key, "PinFile or PinEnvironmentVariable is required (the PIN itself is never a setting)"),
            (not null, _) => new PinSource($"{key}:PinFile", Path.GetFullPath(pinFile, contentRoot), null),
            _ => new PinSource($"{key}:PinEnvironmentVariable", null, pinVariable),
        };
        var certificatePath = Text(section, "CertificatePath") is { } certificate ? Path.GetFullPath(certificate, contentRoot) : null;
        return new TokenIdentityDefinition(name, options, pin, certificatePath);
    }

    private static FileIdentityDefinition ReadFile(string name, string key, IConfigurationSection section, string contentRoot)
    {
        RefuseUnknown(key, section, FileSettings);
        var certificate = Text(section, "CertificatePath") ?? throw new GatewayConfigurationException($"{key}:CertificatePath", "required");
        var privateKey = Text(section, "KeyPath") ?? throw new GatewayConfigurationException($"{key}:KeyPath", "required");
        return new FileIdentityDefinition(name, Path.GetFullPath(certificate, contentRoot), Path.GetFullPath(privateKey, contentRoot));
    }

    private static void RefuseUnknown(string key, IConfigurationSection section, string[] known)
    {
        foreach (var child in section.GetChildren().Where(c => !known.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
        {
            throw new GatewayConfigurationException($"{key}:{child.Key}", $"unknown setting; known: {string.Join(", ", known)}");
        }
    }

    private static string? Text(IConfigurationSection section, string name) =>
        section[name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
