using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>A gateway's own PKI for one test: a root CA, the gateway's server certificate, and clients on demand.</summary>
internal sealed class TestPki : IDisposable
{
    /// <param name="serverUri">A URI SAN for the gateway's own server certificate (XFCC's By), if any.</param>
    public TestPki(string name = "Test", string? serverUri = null)
    {
        Root = TestCa.CreateRoot($"CN={name} Root CA, O=MtlsGateway Tests", profile => profile.Valid(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(5)));
        Server = Root.Issue("CN=localhost", profile =>
        {
            profile.LoopbackServer();
            if (serverUri is not null)
            {
                profile.Uri(serverUri);
            }
        });
    }

    public TestCa Root { get; }

    public X509Certificate2 Server { get; }

    /// <summary>A client certificate "CN=name, O=Tests" (clientAuth unless <paramref name="configure"/> says otherwise).</summary>
    public X509Certificate2 Client(string commonName = "client", Action<CertificateProfile>? configure = null) =>
        Root.Issue($"CN={commonName}, O=Tests", configure);

    public void Dispose()
    {
        Server.Dispose();
        Root.Dispose();
    }
}
