using System.Security.Cryptography.X509Certificates;
using MtlsGateway.DevelopmentMode;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>Certificates made by the tests themselves, with the gateway's own CertificateAuthority.</summary>
internal sealed class TestPki : IDisposable
{
    /// <param name="serverUri">A URI SAN for the gateway's own server certificate (XFCC's By), if any.</param>
    public TestPki(string name = "Test", string? serverUri = null)
    {
        Root = CertificateAuthority.CreateRoot($"CN={name} Root CA, O=MtlsGateway Tests", DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(5));
        Server = Root.Issue("CN=localhost", [CertificateAuthority.ServerAuthOid], customize: request =>
        {
            var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            if (serverUri is not null)
            {
                names.AddUri(new Uri(serverUri));
            }

            request.CertificateExtensions.Add(names.Build());
        });
    }

    public CertificateAuthority Root { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client(string commonName = "client", IEnumerable<string>? extendedKeyUsages = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null) =>
        Root.Issue($"CN={commonName}, O=Tests", extendedKeyUsages ?? [CertificateAuthority.ClientAuthOid], null, notBefore, notAfter);

    public void Dispose()
    {
        Server.Dispose();
        Root.Dispose();
    }
}
