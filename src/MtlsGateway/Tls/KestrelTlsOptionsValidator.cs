using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MtlsGateway.Tls;

/// <summary>
/// Every endpoint is <c>https://</c>, and every server certificate named in <c>Kestrel</c> loads with its private key:
/// a missing or unreadable file stops the gateway with the key that names it, not with an exception from inside Kestrel.
/// </summary>
internal sealed class KestrelTlsOptionsValidator(IHostEnvironment environment) : IValidateOptions<KestrelTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, KestrelTlsOptions options)
    {
        var failures = new List<string>();
        foreach (var (endpoint, settings) in options.Endpoints)
        {
            var url = settings.Url ?? string.Empty;
            if (!url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{KestrelTlsOptions.SectionName}:Endpoints:{endpoint}:Url: '{url}' is not an https:// URL; every gateway endpoint terminates mutual TLS");
            }
        }

        failures.AddRange(options.ServerCertificates.Where(entry => entry.Certificate.Path is not null)
            .Select(entry => Problem(entry.Key, entry.Certificate))
            .OfType<string>());
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string? Problem(string key, ServerCertificateOptions certificate)
    {
        var path = Path.GetFullPath(certificate.Path!, environment.ContentRootPath);
        if (!File.Exists(path))
        {
            return $"{key}:Path: {path}: no such file";
        }

        var keyPath = certificate.KeyPath is { } configuredKey ? Path.GetFullPath(configuredKey, environment.ContentRootPath) : null;
        if (keyPath is not null && !File.Exists(keyPath))
        {
            return $"{key}:KeyPath: {keyPath}: no such file";
        }

        try
        {
            using var loaded = keyPath is not null
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : LoadPfxOrPem(path, certificate.Password);
            return loaded.HasPrivateKey ? null : $"{key}:Path: {path}: holds no private key for the server certificate (set KeyPath)";
        }
        catch (CryptographicException e)
        {
            return $"{key}:Path: {path}: cannot be loaded as a server certificate with its key ({e.Message.TrimEnd('.')})";
        }
    }

    private static X509Certificate2 LoadPfxOrPem(string path, string? password) =>
        File.ReadAllText(path).Contains("-----BEGIN", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPemFile(path)
            : X509CertificateLoader.LoadPkcs12FromFile(path, password);
}
