using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.TestSupport.OpenSsl;

/// <summary>
/// The files a real `openssl ocsp` responder serves from: an RSA CA, a delegated responder (EC, id-kp-OCSPSigning), a
/// CA-issued certificate without that usage, an unrelated self-signed "rogue" responder (each as name.pem and
/// name.key), and the index in which serial 1001 is valid, 1002 revoked (keyCompromise) and 1003 absent. Client
/// certificates are issued per test, because their AIA and CDP URLs carry the ports of that test's servers.
/// </summary>
public sealed class OcspPki : IDisposable
{
    public const string GoodSerial = "1001";
    public const string RevokedSerial = "1002";
    public const string UnknownSerial = "1003";
    public static readonly DateTimeOffset RevokedAt = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly TestCa ca;
    private readonly Files.TempFolder folder = new("mtlsgw-ocsp-pki-");

    public OcspPki()
    {
        ca = TestCa.CreateRoot("CN=OCSP Test CA", profile => profile.Key = KeySpec.Rsa2048);
        Write("ca", ca.Certificate);
        using var responder = ca.Issue("CN=OCSP Responder responder", profile => profile.ExtendedKeyUsages = [Oids.OcspSigning]);
        Write("responder", responder);
        using var noUsage = ca.Issue("CN=OCSP Responder noeku", profile => profile.ExtendedKeyUsages = [Oids.ClientAuth]);
        Write("noeku", noUsage);
        using var rogue = TestCa.CreateRoot("CN=Rogue Responder", profile => profile.ExtendedKeyUsages = [Oids.OcspSigning]);
        Write("rogue", rogue.Certificate);

        var expiry = DateTime.UtcNow.AddDays(30).ToString("yyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
        var revoked = RevokedAt.UtcDateTime.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
        folder.Write("index.txt",
            $"V\t{expiry}\t\t{GoodSerial}\tunknown\t/CN=good\n" +
            $"R\t{expiry}\t{revoked},keyCompromise\t{RevokedSerial}\tunknown\t/CN=revoked\n");

        // The same CA later: the good certificate has been revoked too.
        folder.Write("index-later.txt",
            $"R\t{expiry}\t{revoked},superseded\t{GoodSerial}\tunknown\t/CN=good\n" +
            $"R\t{expiry}\t{revoked},keyCompromise\t{RevokedSerial}\tunknown\t/CN=revoked\n");
        Ca = ca.PublicCertificate;
    }

    public string Folder => folder.Path;

    /// <summary>The CA certificate, without its key.</summary>
    public X509Certificate2 Ca { get; }

    public string PathOf(string name) => folder.PathOf(name);

    /// <summary>A client certificate (with its key) with the given serial (hex) and AIA OCSP / CDP URLs.</summary>
    public X509Certificate2 IssueClient(string serialHex, IReadOnlyList<string> ocspUrls, IReadOnlyList<string> crlUrls) =>
        ca.Issue("CN=client " + serialHex, profile =>
        {
            profile.Serial = Convert.FromHexString(serialHex);
            profile.NotAfter = DateTimeOffset.UtcNow.AddDays(20);
            foreach (var url in ocspUrls)
            {
                profile.OcspUrls.Add(url);
            }

            foreach (var url in crlUrls)
            {
                profile.CrlDistributionPoints.Add(url);
            }
        });

    /// <summary>
    /// openssl's answer to an OCSP request, signed by the CA, made offline (-reqin/-respout) from the index: a request
    /// openssl cannot decode fails here.
    /// </summary>
    public byte[] AnswerOffline(byte[] request, params string[] extra)
    {
        var name = "offline-" + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(PathOf(name + ".req"), request);
        OpenSsl.Run(Folder, ["ocsp", "-index", "index.txt", "-rsigner", "ca.pem", "-rkey", "ca.key", "-CA", "ca.pem", "-reqin", name + ".req", "-respout", name + ".resp", .. extra]);
        return File.ReadAllBytes(PathOf(name + ".resp"));
    }

    public void Dispose()
    {
        ca.Dispose();
        Ca.Dispose();
        folder.Dispose();
    }

    private void Write(string stem, X509Certificate2 certificate)
    {
        PemFiles.WriteCertificate(PathOf(stem + ".pem"), certificate);
        PemFiles.WritePrivateKey(PathOf(stem + ".key"), certificate);
    }
}
