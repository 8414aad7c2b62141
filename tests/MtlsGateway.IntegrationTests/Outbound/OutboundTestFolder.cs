using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.SoftHsm2;

namespace MtlsGateway.IntegrationTests.Outbound;

/// <summary>
/// The content root the token identity tests share: the gateway's own server certificate, the token PIN in
/// <c>card.pin</c> (owner-readable only, as operators should keep it) and the upstream's CA in <c>upstream-ca.pem</c>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class OutboundTestFolder : IDisposable
{
    public OutboundTestFolder()
    {
        Path = OutboundGateway.ContentRoot(GatewayPki);
        WritePin("card.pin", SoftHsm.UserPin);
        File.WriteAllText(System.IO.Path.Combine(Path, "upstream-ca.pem"), UpstreamPki.Root.Certificate.ExportCertificatePem());
    }

    public TestPki GatewayPki { get; } = new();

    /// <summary>The upstream's PKI; its server certificate is what the upstream presents and upstream-ca.pem pins.</summary>
    public TestPki UpstreamPki { get; } = new("Upstream");

    public string Path { get; }

    public void WritePin(string name, string pin)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, pin + "\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public void Dispose()
    {
        GatewayPki.Dispose();
        UpstreamPki.Dispose();
        Directory.Delete(Path, recursive: true);
    }
}
