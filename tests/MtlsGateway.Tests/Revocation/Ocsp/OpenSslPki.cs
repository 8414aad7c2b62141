using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Tests.Revocation.Ocsp;

/// <summary>
/// A small PKI made with openssl: an RSA CA, a delegated OCSP responder (EC, id-kp-OCSPSigning), a CA-issued
/// certificate without that usage, an unrelated self-signed "rogue" responder, and an index.txt in which serial
/// 1001 is valid, 1002 revoked (keyCompromise) and 1003 absent. Client certificates are issued per test, because
/// their AIA and CDP URLs carry the ports of that test's servers.
/// </summary>
public sealed class OpenSslPki : IDisposable
{
    public const string GoodSerial = "1001";
    public const string RevokedSerial = "1002";
    public const string UnknownSerial = "1003";
    public static readonly DateTimeOffset RevokedAt = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private int nextClient;

    public OpenSslPki()
    {
        Folder = Directory.CreateTempSubdirectory("mtlsgw-ocsp-pki-").FullName;
        OpenSsl.Run(Folder, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=OCSP Test CA", "-days", "30",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature");
        IssueResponder("responder", "extendedKeyUsage=OCSPSigning");
        IssueResponder("noeku", "extendedKeyUsage=clientAuth");
        NewEcKey("rogue.key");
        OpenSsl.Run(Folder, "req", "-x509", "-key", "rogue.key", "-out", "rogue.pem", "-subj", "/CN=Rogue Responder", "-days", "30", "-addext", "extendedKeyUsage=OCSPSigning");

        var expiry = DateTime.UtcNow.AddDays(30).ToString("yyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
        var revoked = RevokedAt.UtcDateTime.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
        File.WriteAllText(Path.Combine(Folder, "index.txt"),
            $"V\t{expiry}\t\t{GoodSerial}\tunknown\t/CN=good\n" +
            $"R\t{expiry}\t{revoked},keyCompromise\t{RevokedSerial}\tunknown\t/CN=revoked\n");

        // The same CA later: the good certificate has been revoked too.
        File.WriteAllText(Path.Combine(Folder, "index-later.txt"),
            $"R\t{expiry}\t{revoked},superseded\t{GoodSerial}\tunknown\t/CN=good\n" +
            $"R\t{expiry}\t{revoked},keyCompromise\t{RevokedSerial}\tunknown\t/CN=revoked\n");
        Ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Folder, "ca.pem"));
    }

    public string Folder { get; }

    public X509Certificate2 Ca { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Issues a client certificate with the given serial (hex) and the given AIA OCSP / CDP URLs.</summary>
    public X509Certificate2 IssueClient(string serialHex, IReadOnlyList<string> ocspUrls, IReadOnlyList<string> crlUrls)
    {
        var name = "client" + Interlocked.Increment(ref nextClient).ToString(CultureInfo.InvariantCulture);
        var lines = new List<string> { "[ext]", "basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature", "extendedKeyUsage=clientAuth" };
        if (ocspUrls.Count > 0)
        {
            lines.Add("authorityInfoAccess=" + string.Join(",", ocspUrls.Select(url => "OCSP;URI:" + url)));
        }

        if (crlUrls.Count > 0)
        {
            lines.Add("crlDistributionPoints=" + string.Join(",", crlUrls.Select(url => "URI:" + url)));
        }

        File.WriteAllLines(PathOf(name + ".ext"), lines);
        NewEcKey(name + ".key");
        OpenSsl.Run(Folder, "req", "-new", "-key", name + ".key", "-subj", "/CN=" + name, "-out", name + ".csr");
        OpenSsl.Run(Folder, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "0x" + serialHex, "-days", "20",
            "-extfile", name + ".ext", "-extensions", "ext", "-out", name + ".pem");
        return X509CertificateLoader.LoadCertificateFromFile(PathOf(name + ".pem"));
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private void IssueResponder(string name, string usage)
    {
        File.WriteAllLines(PathOf(name + ".ext"), ["[ext]", "basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature", usage]);
        NewEcKey(name + ".key");
        OpenSsl.Run(Folder, "req", "-new", "-key", name + ".key", "-subj", "/CN=OCSP Responder " + name, "-out", name + ".csr");
        OpenSsl.Run(Folder, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "0x77" + name.Length.ToString(CultureInfo.InvariantCulture), "-days", "20",
            "-extfile", name + ".ext", "-extensions", "ext", "-out", name + ".pem");
    }

    private void NewEcKey(string file) => OpenSsl.Run(Folder, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file);
}
