using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Tls;

/// <summary>
/// Loads a configured server certificate the way Kestrel will (PEM certificate and key, with <c>Password</c> for an
/// encrypted key; or PKCS#12 with its password; or PEM with the key in the same file) and says, naming the setting and
/// the files, why it cannot serve: a missing or unreadable file, a key that does not belong to the certificate, an
/// encrypted key without its password, a wrong password, an expired certificate, or one that is not for TLS servers.
/// </summary>
internal static class ServerCertificateCheck
{
    private const string ServerAuthOid = Validation.Certificates.Oids.ServerAuthentication;
    private const string AnyExtendedKeyUsageOid = Validation.Certificates.Oids.AnyExtendedKeyUsage;
    private const string RsaKeyOid = "1.2.840.113549.1.1.1";
    private const string EcKeyOid = "1.2.840.10045.2.1";
    private const X509KeyUsageFlags ServerKeyUsages = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement;

    /// <param name="key">The setting that names the certificate (<c>Kestrel:Endpoints:Gateway:Certificate</c>).</param>
    /// <returns>The problem (one line, starting with the setting), and a warning for a certificate not valid yet.</returns>
    public static (string? Problem, string? Warning) Check(string key, ServerCertificateOptions certificate, string contentRoot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var path = Path.GetFullPath(certificate.Path!, contentRoot);
        var keyPath = certificate.KeyPath is { } configuredKey ? Path.GetFullPath(configuredKey, contentRoot) : null;
        if (Missing(path) is { } missingCertificate)
        {
            return ($"{key}:Path: {path}: {missingCertificate}", null);
        }

        if (keyPath is not null && Missing(keyPath) is { } missingKey)
        {
            return ($"{key}:KeyPath: {keyPath}: {missingKey}", null);
        }

        X509Certificate2 loaded;
        try
        {
            var (certificateOrNull, problem) = keyPath is not null ? LoadPem(key, path, keyPath, certificate.Password) : LoadAlone(key, path, certificate.Password);
            if (problem is not null)
            {
                return (problem, null);
            }

            loaded = certificateOrNull!;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return ($"{key}: cannot be read: {e.Message}", null);
        }

        using (loaded)
        {
            return Usable(key, path, loaded, now);
        }
    }

    private static string? Missing(string path)
    {
        if (Directory.Exists(path))
        {
            return "is a folder, not a file";
        }

        if (!File.Exists(path))
        {
            return "no such file";
        }

        try
        {
            using var stream = File.OpenRead(path);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"cannot be read: permission denied (the gateway runs as user '{Environment.UserName}')";
        }
        catch (IOException e)
        {
            return $"cannot be read: {e.Message.TrimEnd('.')}";
        }
    }

    private static (X509Certificate2? Certificate, string? Problem) LoadPem(string key, string path, string keyPath, string? password)
    {
        var keyText = File.ReadAllText(keyPath);
        if (keyText.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            return (null, $"{key}:KeyPath: {keyPath} is encrypted in OpenSSL's legacy format, which .NET cannot read; convert it to PKCS#8 (openssl pkcs8 -topk8 -in <old> -out <new>) and set {key}:Password");
        }

        var encrypted = keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        if (encrypted && password is null)
        {
            return (null, $"{key}:KeyPath: {keyPath} is encrypted and {key}:Password is not set");
        }

        try
        {
            return (encrypted ? X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath) : X509Certificate2.CreateFromPemFile(path, keyPath), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return (null, ExplainPem(key, path, keyPath, password, encrypted, e));
        }
    }

    /// <summary>What the two PEM files hold, taken apart to tell which one (or which pairing) is wrong.</summary>
    private static string ExplainPem(string key, string path, string keyPath, string? password, bool encrypted, Exception failure)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (CryptographicException)
        {
            return $"{key}:Path: {path} holds no readable certificate (PEM or DER)";
        }

        using (certificate)
        {
            using AsymmetricAlgorithm? privateKey = certificate.GetKeyAlgorithm() switch
            {
                RsaKeyOid => RSA.Create(),
                EcKeyOid => ECDsa.Create(),
                _ => null,
            };
            if (privateKey is null)
            {
                return $"{key}:Path: {path}: the certificate's key algorithm ({certificate.GetKeyAlgorithm()}) cannot serve TLS here ({failure.Message.TrimEnd('.')})";
            }

            var pem = File.ReadAllText(keyPath);
            try
            {
                Import(privateKey, pem, encrypted, password);
            }
            catch (CryptographicException) when (encrypted)
            {
                return $"{key}:Password: does not decrypt {keyPath}";
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                using AsymmetricAlgorithm other = privateKey is RSA ? ECDsa.Create() : RSA.Create();
                try
                {
                    Import(other, pem, encrypted, password);
                    return $"{key}: the private key in {keyPath} ({Name(other)}) does not belong to the certificate in {path} ('{certificate.Subject}', {Name(privateKey)})";
                }
                catch (Exception) when (e is CryptographicException or ArgumentException)
                {
                    return $"{key}:KeyPath: {keyPath} holds no private key .NET can read (a PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)";
                }
            }

            return $"{key}: the private key in {keyPath} does not belong to the certificate in {path} ('{certificate.Subject}')";
        }
    }

    private static void Import(AsymmetricAlgorithm privateKey, string pem, bool encrypted, string? password)
    {
        if (encrypted)
        {
            privateKey.ImportFromEncryptedPem(pem, password);
        }
        else
        {
            privateKey.ImportFromPem(pem);
        }
    }

    private static string Name(AsymmetricAlgorithm key) => key is RSA ? "RSA" : "EC";

    private static (X509Certificate2? Certificate, string? Problem) LoadAlone(string key, string path, string? password)
    {
        if (File.ReadAllText(path).Contains("-----BEGIN", StringComparison.Ordinal))
        {
            try
            {
                return (X509Certificate2.CreateFromPemFile(path), null);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                return (null, $"{key}:Path: {path} is PEM without its private key in the same file; set {key}:KeyPath ({e.Message.TrimEnd('.')})");
            }
        }

        try
        {
            return (X509CertificateLoader.LoadPkcs12FromFile(path, password), null);
        }
        catch (CryptographicException) when (IsPkcs12(path))
        {
            return (null, password is null
                ? $"{key}:Password: not set, and {path} does not open without one"
                : $"{key}:Password: does not open {path}");
        }
        catch (CryptographicException e)
        {
            return (null, $"{key}:Path: {path} is neither PEM nor PKCS#12 ({e.Message.TrimEnd('.')})");
        }
    }

    private static bool IsPkcs12(string path)
    {
        try
        {
            return X509Certificate2.GetCertContentType(path) == X509ContentType.Pkcs12;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static (string? Problem, string? Warning) Usable(string key, string path, X509Certificate2 certificate, DateTimeOffset now)
    {
        if (!certificate.HasPrivateKey)
        {
            return ($"{key}:Path: {path}: holds no private key for the server certificate (set KeyPath)", null);
        }

        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (notAfter < now)
        {
            return ($"{key}: the certificate in {path} ('{certificate.Subject}') expired at {notAfter:yyyy-MM-ddTHH:mm:ssZ}; every client would refuse it", null);
        }

        if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } eku
            && !eku.EnhancedKeyUsages.Cast<Oid>().Any(oid => oid.Value is ServerAuthOid or AnyExtendedKeyUsageOid))
        {
            var usages = string.Join(", ", eku.EnhancedKeyUsages.Cast<Oid>().Select(oid => oid.FriendlyName ?? oid.Value));
            return ($"{key}: the certificate in {path} ('{certificate.Subject}') is not for TLS servers: its extendedKeyUsage is {usages}, without serverAuth", null);
        }

        if (certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } keyUsage && (keyUsage.KeyUsages & ServerKeyUsages) == 0)
        {
            return ($"{key}: the certificate in {path} ('{certificate.Subject}') is not for TLS servers: its keyUsage is {keyUsage.KeyUsages}", null);
        }

        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        return notBefore > now
            ? (null, $"{key}: the certificate in {path} ('{certificate.Subject}') is not valid before {notBefore:yyyy-MM-ddTHH:mm:ssZ}; clients refuse it until then")
            : (null, null);
    }
}
