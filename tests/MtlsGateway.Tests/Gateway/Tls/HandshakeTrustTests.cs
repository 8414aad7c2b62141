using System.Net.Security;
using Microsoft.Extensions.Logging.Abstractions;
using MtlsGateway.Tls;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Gateway.Tls;

/// <summary>
/// The server context a handshake gets is made once per endpoint certificate and trust list: a new one per handshake
/// would cost a chain build each time and, with its own ticket keys, break TLS session resumption.
/// </summary>
public sealed class HandshakeTrustTests : IDisposable
{
    private readonly TempFolder folder = new("handshake-trust-");
    private readonly TestCa first = TestCa.CreateRoot("CN=First");
    private readonly TestCa second = TestCa.CreateRoot("CN=Second");

    public void Dispose()
    {
        first.Dispose();
        second.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void One_context_per_endpoint_context_and_per_bare_certificate_until_the_trust_list_changes()
    {
        var file = folder.Write("roots.pem", first.Certificate.ExportCertificatePem());
        using var provider = new TrustListProvider([file], [], TimeSpan.FromHours(1), new ValidationEpoch(), NullLogger.Instance, TimeProvider.System);
        var trust = new HandshakeTrust(provider);
        using var serverCertificate = first.Issue("CN=server");
        var endpointContext = SslStreamCertificateContext.Create(serverCertificate, null, offline: true);

        var advertised = trust.AdvertisingTrustedIssuers(endpointContext);
        Assert.Same(advertised, trust.AdvertisingTrustedIssuers(endpointContext));
        Assert.Same(trust.AdvertisingTrustedIssuers(serverCertificate), trust.AdvertisingTrustedIssuers(serverCertificate));

        // Another context object for the same certificate is another endpoint: its own context, made once too.
        var otherEndpoint = SslStreamCertificateContext.Create(serverCertificate, null, offline: true);
        Assert.NotSame(advertised, trust.AdvertisingTrustedIssuers(otherEndpoint));

        folder.Write("roots.pem", first.Certificate.ExportCertificatePem() + "\n" + second.Certificate.ExportCertificatePem());
        provider.Reload();
        var afterChange = trust.AdvertisingTrustedIssuers(endpointContext);
        Assert.NotSame(advertised, afterChange);
        Assert.Same(afterChange, trust.AdvertisingTrustedIssuers(endpointContext));
    }
}
