using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.OpenSsl;

/// <summary>
/// A CA that openssl itself owns (`openssl ca` with its database), for the tests whose point is an encoding made by
/// another implementation: an openssl CRL, an openssl certificate. Everything else uses <see cref="Pki.TestCa"/>.
/// </summary>
public sealed class OpenSslCa
{
    private int issued;

    /// <param name="folder">The CA's own folder (key, database, issued files); the caller owns its lifetime.</param>
    public OpenSslCa(string folder, string commonName = "OpenSSL Test CA")
    {
        Folder = folder;
        File.WriteAllText(PathOf("index.txt"), string.Empty);
        File.WriteAllText(PathOf("serial"), "1A2B\n");
        File.WriteAllText(PathOf("crlnumber"), "07\n");
        File.WriteAllText(PathOf("ca.cnf"), $"""
            [ ca ]
            default_ca = test_ca
            [ test_ca ]
            dir = {folder}
            database = $dir/index.txt
            serial = $dir/serial
            crlnumber = $dir/crlnumber
            new_certs_dir = $dir
            certificate = $dir/ca.pem
            private_key = $dir/ca.key
            default_md = sha256
            default_days = 30
            default_crl_days = 7
            policy = any
            unique_subject = no
            [ any ]
            commonName = supplied
            """);
        OpenSsl.Run(folder, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-subj", "/CN=" + commonName, "-days", "30");
    }

    public string Folder { get; }

    public string CertificatePath => PathOf("ca.pem");

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Issues a certificate with `openssl ca`; <paramref name="extensions"/> are openssl config lines (e.g. "crlDistributionPoints=URI:...").</summary>
    /// <returns>The PEM file of the issued certificate.</returns>
    public string Issue(string commonName, params string[] extensions)
    {
        var name = "leaf" + Interlocked.Increment(ref issued);
        OpenSsl.Run(Folder, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        var arguments = new List<string> { "ca", "-batch", "-config", "ca.cnf", "-in", name + ".csr", "-out", name + ".pem" };
        if (extensions.Length > 0)
        {
            File.WriteAllLines(PathOf(name + ".ext"), ["[ext]", .. extensions]);
            arguments.AddRange(["-extfile", name + ".ext", "-extensions", "ext"]);
        }

        OpenSsl.Run(Folder, [.. arguments]);
        return PathOf(name + ".pem");
    }

    /// <summary>Records the revocation in openssl's database; <paramref name="reason"/> as openssl names it (keyCompromise, ...).</summary>
    public void Revoke(string certificateFile, string reason) => OpenSsl.Run(Folder, "ca", "-config", "ca.cnf", "-revoke", certificateFile, "-crl_reason", reason);

    /// <returns>The PEM CRL file openssl wrote from its database.</returns>
    public string GenerateCrl()
    {
        OpenSsl.Run(Folder, "ca", "-config", "ca.cnf", "-gencrl", "-out", "ca.crl");
        return PathOf("ca.crl");
    }

    public static X509Certificate2 Load(string certificateFile) => X509CertificateLoader.LoadCertificateFromFile(certificateFile);
}
