using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Hosting;
using MtlsGateway.Validation.Certificates;

namespace MtlsGateway.Outbound;

/// <summary>An identity's certificate from a file: the first certificate in it (PEM or DER); further ones are ignored.</summary>
internal static class IdentityCertificateFile
{
    /// <exception cref="GatewayConfigurationException">Keyed <paramref name="settingKey"/>: the file is missing or unreadable.</exception>
    public static X509Certificate2 Read(string settingKey, string path)
    {
        try
        {
            var certificates = CertificateFiles.Read(path);
            foreach (var extra in certificates.Skip(1))
            {
                extra.Dispose();
            }

            return certificates[0];
        }
        catch (CertificateSourceException e)
        {
            throw new GatewayConfigurationException(settingKey, e.Message, e);
        }
    }
}
