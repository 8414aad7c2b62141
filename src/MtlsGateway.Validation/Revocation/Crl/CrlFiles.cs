using System.Security.Cryptography;
using MtlsGateway.Validation.Certificates;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>Reads CRLs from a file: PEM "X509 CRL" blocks (any number) or one DER CRL.</summary>
public static class CrlFiles
{
    /// <exception cref="CertificateSourceException">The file cannot be read, holds no CRL, or holds a malformed one.</exception>
    public static IReadOnlyList<CertificateRevocationList> Read(string file)
    {
        return Parse(CertificateFiles.ReadBytes(file, BoundedFile.CrlLimit), file);
    }

    public static IReadOnlyList<CertificateRevocationList> Parse(byte[] content, string source)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.AsSpan().IndexOf("-----BEGIN "u8) < 0)
        {
            try
            {
                return [CertificateRevocationList.Parse(content)];
            }
            catch (FormatException e)
            {
                throw new CertificateSourceException(source, "is neither a PEM file nor a DER CRL (" + e.Message + ")", e);
            }
        }

        var crls = new List<CertificateRevocationList>();
        var remaining = System.Text.Encoding.ASCII.GetString(content).AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            if (remaining[fields.Label].SequenceEqual("X509 CRL"))
            {
                try
                {
                    crls.Add(CertificateRevocationList.Parse(Convert.FromBase64String(remaining[fields.Base64Data].ToString())));
                }
                catch (FormatException e)
                {
                    throw new CertificateSourceException(source, $"PEM CRL #{crls.Count + 1} is unreadable ({e.Message})", e);
                }
            }

            remaining = remaining[fields.Location.End..];
        }

        if (crls.Count == 0)
        {
            throw new CertificateSourceException(source, "holds no PEM X509 CRL");
        }

        return crls;
    }
}
