using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>Certificates, keys and CRLs written as the files operators and openssl use.</summary>
public static class PemFiles
{
    public static string WriteCertificate(string path, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>Several certificates in one PEM bundle.</summary>
    public static string WriteCertificates(string path, IEnumerable<X509Certificate2> certificates)
    {
        File.WriteAllText(path, string.Join('\n', certificates.Select(c => c.ExportCertificatePem())) + "\n");
        return path;
    }

    /// <summary>The certificate's private key as unencrypted PKCS#8 PEM.</summary>
    public static string WritePrivateKey(string path, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey()
            ?? (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey()
            ?? certificate.GetDSAPrivateKey()
            ?? throw new ArgumentException($"'{certificate.Subject}' carries no private key", nameof(certificate));
        using (key)
        {
            File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        }

        return path;
    }

    public static string WriteCrlPem(string path, params byte[][] crls)
    {
        File.WriteAllText(path, string.Concat(crls.Select(der => PemEncoding.WriteString("X509 CRL", der) + "\n")));
        return path;
    }

    public static string CrlPem(byte[] der) => PemEncoding.WriteString("X509 CRL", der) + "\n";
}
