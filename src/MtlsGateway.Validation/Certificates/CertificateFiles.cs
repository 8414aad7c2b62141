using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Certificates;

/// <summary>Reads certificates from configured files and folders: PEM bundles or single DER certificates.</summary>
public static class CertificateFiles
{
    /// <summary>
    /// Expands each configured entry: a file stands for itself, a folder for the regular files directly inside it
    /// (sorted, hidden files skipped, so editor swap files and Kubernetes' "..data" links are ignored).
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var files = new List<string>();
        foreach (var entry in entries)
        {
            if (Directory.Exists(entry))
            {
                files.AddRange(FilesIn(entry));
            }
            else if (File.Exists(entry))
            {
                files.Add(entry);
            }
            else
            {
                throw new CertificateSourceException(entry, "no such file or folder");
            }
        }

        return files;
    }

    /// <summary>The regular files directly inside a folder, sorted, hidden ones skipped.</summary>
    /// <exception cref="CertificateSourceException">The folder cannot be listed (permission denied, deleted meanwhile).</exception>
    public static IReadOnlyList<string> FilesIn(string folder)
    {
        try
        {
            return [.. Directory.EnumerateFiles(folder).Where(file => !Path.GetFileName(file).StartsWith('.')).Order(StringComparer.Ordinal)];
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CertificateSourceException(folder, "the folder cannot be read (permission denied)", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CertificateSourceException(folder, "no such folder", e);
        }
        catch (IOException e)
        {
            throw new CertificateSourceException(folder, "the folder cannot be read (" + e.Message + ")", e);
        }
    }

    /// <summary>Reads a configured file, at most <paramref name="limit"/> bytes (see <see cref="BoundedFile"/>).</summary>
    /// <exception cref="CertificateSourceException">The file is missing, unreadable or too large; the message says which.</exception>
    public static byte[] ReadBytes(string file, long limit)
    {
        try
        {
            return BoundedFile.Read(file, limit);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CertificateSourceException(file, "no such file", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CertificateSourceException(file, "permission denied", e);
        }
        catch (IOException e)
        {
            throw new CertificateSourceException(file, "cannot be read (" + e.Message + ")", e);
        }
    }

    /// <summary>Reads every certificate in one file. A file holding no certificate is an error, not an empty list.</summary>
    public static IReadOnlyList<X509Certificate2> Read(string file) => Parse(ReadBytes(file, BoundedFile.CertificateLimit), file);

    public static IReadOnlyList<X509Certificate2> Parse(ReadOnlySpan<byte> content, string source)
    {
        if (LooksLikePem(content))
        {
            return ParsePem(System.Text.Encoding.ASCII.GetString(content), source);
        }

        try
        {
            return [X509CertificateLoader.LoadCertificate(content)];
        }
        catch (CryptographicException e)
        {
            throw new CertificateSourceException(source, "is neither a PEM bundle nor a DER certificate", e);
        }
    }

    private static List<X509Certificate2> ParsePem(string text, string source)
    {
        var certificates = new List<X509Certificate2>();
        var remaining = text.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var label = remaining[fields.Label];
            if (label.SequenceEqual("CERTIFICATE"))
            {
                try
                {
                    certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(remaining[fields.Base64Data].ToString())));
                }
                catch (Exception e) when (e is CryptographicException or FormatException)
                {
                    throw new CertificateSourceException(source, $"PEM certificate #{certificates.Count + 1} is unreadable", e);
                }
            }

            remaining = remaining[fields.Location.End..];
        }

        if (certificates.Count == 0)
        {
            throw new CertificateSourceException(source, "holds no PEM certificate");
        }

        return certificates;
    }

    private static bool LooksLikePem(ReadOnlySpan<byte> content) => content.IndexOf("-----BEGIN "u8) >= 0;
}
