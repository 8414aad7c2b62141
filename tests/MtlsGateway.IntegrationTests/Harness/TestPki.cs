using System.Security.Cryptography.X509Certificates;
using MtlsGateway.DevelopmentMode;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>Certificates made by the tests themselves, with the gateway's own CertificateAuthority.</summary>
internal sealed class TestPki : IDisposable
{
    public TestPki(string name = "Test")
    {
        Root = CertificateAuthority.CreateRoot($"CN={name} Root CA, O=MtlsGateway Tests", DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(5));
        Server = Root.Issue("CN=localhost", [CertificateAuthority.ServerAuthOid], ["localhost", "127.0.0.1"]);
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
