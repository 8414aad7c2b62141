using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Hosting;
using MtlsGateway.Pkcs11.Identity;

namespace MtlsGateway.Outbound;

/// <summary>
/// Loads a software identity (certificate file + unencrypted PEM private key) and self-tests it like a token one:
/// the key must match the certificate, the certificate must be valid now, and a fresh challenge signed with the key
/// must verify with the certificate's public key.
/// </summary>
internal sealed class FileIdentityLoading(TimeProvider time)
{
    /// <exception cref="GatewayConfigurationException">Naming the key of the file at fault, or the identity.</exception>
    public X509Certificate2 Load(FileIdentityDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var certificateKey = $"{definition.Key}:File:CertificatePath";
        var privateKeyKey = $"{definition.Key}:File:KeyPath";
        using var certificate = IdentityCertificateFile.Read(certificateKey, definition.CertificatePath);
        string pem;
        try
        {
            pem = File.ReadAllText(definition.KeyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigurationException(privateKeyKey, $"'{definition.KeyPath}' cannot be read ({e.GetType().Name})");
        }

        var withKey = Attach(certificate, pem, definition, privateKeyKey);
        try
        {
            var now = time.GetUtcNow();
            if (now < certificate.NotBefore.ToUniversalTime())
            {
                throw new GatewayConfigurationException(certificateKey, $"certificate '{certificate.Subject}' is not valid before {certificate.NotBefore.ToUniversalTime():u}");
            }

            if (now > certificate.NotAfter.ToUniversalTime())
            {
                throw new GatewayConfigurationException(certificateKey, $"certificate '{certificate.Subject}' expired at {certificate.NotAfter.ToUniversalTime():u}");
            }

            using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)withKey.GetECDsaPrivateKey() ?? withKey.GetRSAPrivateKey();
            if (key is null || !PossessionProof.Verify(key, certificate))
            {
                throw new GatewayConfigurationException(definition.Key, $"a signature made with '{definition.KeyPath}' does not verify with certificate '{certificate.Subject}'");
            }

            return withKey;
        }
        catch
        {
            withKey.Dispose();
            throw;
        }
    }

    private static X509Certificate2 Attach(X509Certificate2 certificate, string pem, FileIdentityDefinition definition, string key)
    {
        try
        {
            if (certificate.GetECDsaPublicKey() is { } ecPublic)
            {
                ecPublic.Dispose();
                using var ec = ECDsa.Create();
                ec.ImportFromPem(pem);
                return certificate.CopyWithPrivateKey(ec);
            }

            if (certificate.GetRSAPublicKey() is { } rsaPublic)
            {
                rsaPublic.Dispose();
                using var rsa = RSA.Create();
                rsa.ImportFromPem(pem);
                return certificate.CopyWithPrivateKey(rsa);
            }
        }
        catch (ArgumentException e)
        {
            // ImportFromPem: no usable (unencrypted) key; CopyWithPrivateKey: the key belongs to another certificate.
            var problem = e.Message.Contains("does not match", StringComparison.OrdinalIgnoreCase)
                ? $"the private key in '{definition.KeyPath}' does not match certificate '{certificate.Subject}'"
                : $"'{definition.KeyPath}' holds no unencrypted PEM private key of the certificate's type";
            throw new GatewayConfigurationException(key, problem, e);
        }
        catch (CryptographicException e)
        {
            throw new GatewayConfigurationException(key, $"'{definition.KeyPath}' holds no usable private key for certificate '{certificate.Subject}'", e);
        }

        throw new GatewayConfigurationException($"{definition.Key}:File:CertificatePath", $"certificate '{certificate.Subject}' has neither an EC nor an RSA key");
    }
}
