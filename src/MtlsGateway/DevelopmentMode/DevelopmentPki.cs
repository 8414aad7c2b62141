using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.DevelopmentMode;

/// <summary>
/// The PKI a developer needs to try the gateway: a CA, a localhost server certificate and one client certificate,
/// written as PEM (and the client also as PKCS#12 with an empty password, for browsers).
/// </summary>
public static class DevelopmentPki
{
    public const string CaCertificateFile = "ca.crt";
    public const string ServerCertificateFile = "server.crt";
    public const string ServerKeyFile = "server.key";
    public const string ClientCertificateFile = "client.crt";
    public const string ClientKeyFile = "client.key";
    public const string ClientPkcs12File = "client.p12";

    public static bool Exists(string folder) =>
        new[] { CaCertificateFile, ServerCertificateFile, ServerKeyFile, ClientCertificateFile, ClientKeyFile }
            .All(file => File.Exists(System.IO.Path.Combine(folder, file)));

    public static void Create(string folder)
    {
        Directory.CreateDirectory(folder);
        using var ca = CertificateAuthority.CreateRoot("CN=MtlsGateway Development CA, O=MtlsGateway");
        using var server = ca.Issue("CN=localhost", [CertificateAuthority.ServerAuthOid], ["localhost", "127.0.0.1", "::1"]);
        using var client = ca.Issue("CN=dev-client, O=MtlsGateway", [CertificateAuthority.ClientAuthOid]);

        File.WriteAllText(System.IO.Path.Combine(folder, CaCertificateFile), ca.Certificate.ExportCertificatePem());
        WritePem(folder, ServerCertificateFile, ServerKeyFile, server);
        WritePem(folder, ClientCertificateFile, ClientKeyFile, client);
        File.WriteAllBytes(System.IO.Path.Combine(folder, ClientPkcs12File), client.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, string.Empty));
    }

    private static void WritePem(string folder, string certificateFile, string keyFile, X509Certificate2 certificate)
    {
        File.WriteAllText(System.IO.Path.Combine(folder, certificateFile), certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey()!;
        var keyPath = System.IO.Path.Combine(folder, keyFile);
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
