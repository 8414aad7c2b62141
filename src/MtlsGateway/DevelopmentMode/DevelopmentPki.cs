using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.DevelopmentMode;

/// <summary>
/// The PKI a developer needs to try the gateway: a CA, a localhost server certificate and one client certificate,
/// written as PEM (and the client also as PKCS#12 with an empty password, for browsers), plus the CA's key and an
/// empty CRL so the default fail-closed revocation check has data to work with.
/// </summary>
public static class DevelopmentPki
{
    public const string CaCertificateFile = "ca.crt";
    public const string CaKeyFile = "ca.key";
    public const string CaCrlFile = "ca.crl";
    public const string ServerCertificateFile = "server.crt";
    public const string ServerKeyFile = "server.key";
    public const string ClientCertificateFile = "client.crt";
    public const string ClientKeyFile = "client.key";
    public const string ClientPkcs12File = "client.p12";

    public static bool Exists(string folder) =>
        new[] { CaCertificateFile, CaKeyFile, ServerCertificateFile, ServerKeyFile, ClientCertificateFile, ClientKeyFile }
            .All(file => File.Exists(Path.Combine(folder, file)));

    /// <summary>Every file <see cref="Create"/> writes, in the order it writes them.</summary>
    public static IReadOnlyList<string> Files { get; } =
        [CaCertificateFile, CaKeyFile, CaCrlFile, ServerCertificateFile, ServerKeyFile, ClientCertificateFile, ClientKeyFile, ClientPkcs12File];

    /// <summary>The files that hold a private key (the PKCS#12 file's password is empty): written owner-only (0600).</summary>
    public static IReadOnlyList<string> PrivateFiles { get; } = [CaKeyFile, ServerKeyFile, ClientKeyFile, ClientPkcs12File];

    public static void Create(string folder)
    {
        Directory.CreateDirectory(folder);
        using var ca = CertificateAuthority.CreateRoot("CN=MtlsGateway Development CA, O=MtlsGateway");
        using var server = ca.Issue("CN=localhost", [CertificateAuthority.ServerAuthOid], ["localhost", "127.0.0.1", "::1"]);
        using var client = ca.Issue("CN=dev-client, O=MtlsGateway", [CertificateAuthority.ClientAuthOid]);

        File.WriteAllText(Path.Combine(folder, CaCertificateFile), ca.Certificate.ExportCertificatePem());
        WritePrivateKey(Path.Combine(folder, CaKeyFile), ca.Certificate);
        WriteCrl(folder, ca);
        WritePem(folder, ServerCertificateFile, ServerKeyFile, server);
        WritePem(folder, ClientCertificateFile, ClientKeyFile, client);
        WriteOwnerOnly(Path.Combine(folder, ClientPkcs12File), client.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, string.Empty));
    }

    /// <summary>
    /// Re-issues the CA's (empty) CRL when it is missing or goes stale within a day, so a development gateway running
    /// with the default fail-closed revocation keeps admitting its client.
    /// </summary>
    public static bool RefreshCrl(string folder)
    {
        var crlPath = Path.Combine(folder, CaCrlFile);
        var keyPath = Path.Combine(folder, CaKeyFile);
        if (!File.Exists(keyPath))
        {
            return false;
        }

        if (File.Exists(crlPath)
            && Validation.Revocation.Crl.CrlFiles.Read(crlPath) is [{ NextUpdate: { } next }]
            && next > DateTimeOffset.UtcNow.AddDays(1))
        {
            return false;
        }

        using var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(folder, CaCertificateFile), keyPath);
        using var ca = CertificateAuthority.FromCertificate(certificate);
        WriteCrl(folder, ca);
        return true;
    }

    private static void WriteCrl(string folder, CertificateAuthority ca) =>
        File.WriteAllText(Path.Combine(folder, CaCrlFile), PemEncoding.WriteString("X509 CRL", ca.CreateCrl([], DateTimeOffset.UtcNow.AddDays(30))));

    private static void WritePem(string folder, string certificateFile, string keyFile, X509Certificate2 certificate)
    {
        File.WriteAllText(Path.Combine(folder, certificateFile), certificate.ExportCertificatePem());
        WritePrivateKey(Path.Combine(folder, keyFile), certificate);
    }

    private static void WritePrivateKey(string keyPath, X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey()!;
        WriteOwnerOnly(keyPath, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
    }

    /// <summary>
    /// Created 0600 (never readable by others, not even between creation and a chmod); a file replaced by --force is
    /// removed first, since creating over an existing file keeps its old mode.
    /// </summary>
    private static void WriteOwnerOnly(string path, byte[] content)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
    }
}
