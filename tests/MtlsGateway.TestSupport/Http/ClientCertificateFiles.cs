using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.TestSupport.Http;

/// <summary>
/// A client certificate, its key and the CA that issued the server's certificate, as the PEM files command-line
/// clients (curl, openssl s_client, nghttp) take; deleted on Dispose.
/// </summary>
public sealed class ClientCertificateFiles : IDisposable
{
    private readonly TempFolder folder = new("mtlsgw-client-");

    public ClientCertificateFiles(X509Certificate2 serverCa, X509Certificate2 clientCertificate)
    {
        CaFile = PemFiles.WriteCertificate(folder.PathOf("ca.pem"), serverCa);
        CertificateFile = PemFiles.WriteCertificate(folder.PathOf("client.crt"), clientCertificate);
        KeyFile = PemFiles.WritePrivateKey(folder.PathOf("client.key"), clientCertificate);
    }

    public string CaFile { get; }

    public string CertificateFile { get; }

    public string KeyFile { get; }

    /// <summary>A fresh file name in this folder, for a client's output.</summary>
    public string NewFile(string extension) => folder.PathOf(Guid.NewGuid().ToString("N") + extension);

    public void Dispose() => folder.Dispose();
}
