using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Hosting;

namespace MtlsGateway.Tls;

/// <summary>
/// Checks the server certificates named in <c>Kestrel</c> before Kestrel loads them, so a missing or unreadable file
/// stops the gateway with the key that names it rather than with an exception from deep inside Kestrel.
/// </summary>
internal static class ServerCertificateSettings
{
    public static void Verify(IConfiguration configuration, string contentRoot)
    {
        var certificates = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint.GetSection("Certificate"))
            .Append(configuration.GetSection("Kestrel:Certificates:Default"))
            .Where(section => section["Path"] is not null);
        foreach (var section in certificates)
        {
            Verify(section, contentRoot);
        }
    }

    private static void Verify(IConfigurationSection section, string contentRoot)
    {
        var key = section.Path + ":Path";
        var path = Path.GetFullPath(section["Path"]!, contentRoot);
        if (!File.Exists(path))
        {
            throw new GatewayConfigurationException(key, $"{path}: no such file");
        }

        var keyPath = section["KeyPath"] is { } configuredKey ? Path.GetFullPath(configuredKey, contentRoot) : null;
        if (keyPath is not null && !File.Exists(keyPath))
        {
            throw new GatewayConfigurationException(section.Path + ":KeyPath", $"{keyPath}: no such file");
        }

        try
        {
            using var certificate = keyPath is not null
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : LoadPfxOrPem(path, section["Password"]);
            if (!certificate.HasPrivateKey)
            {
                throw new GatewayConfigurationException(key, $"{path}: holds no private key for the server certificate (set KeyPath)");
            }
        }
        catch (CryptographicException e)
        {
            throw new GatewayConfigurationException(key, $"{path}: cannot be loaded as a server certificate with its key ({e.Message.TrimEnd('.')})", e);
        }
    }

    private static X509Certificate2 LoadPfxOrPem(string path, string? password) =>
        File.ReadAllText(path).Contains("-----BEGIN", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPemFile(path)
            : X509CertificateLoader.LoadPkcs12FromFile(path, password);
}
