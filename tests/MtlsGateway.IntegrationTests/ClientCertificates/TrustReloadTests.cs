using System.Net;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.ClientCertificates;

/// <summary>The trust list is replaced under the running gateway, as an operator or a secret sync would do it.</summary>
public sealed class TrustReloadTests : GatewayPerTest
{
    private readonly TestPki partner = new("Partner");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        partner.Dispose();
    }

    [Fact]
    public async Task A_CA_added_to_the_folder_is_trusted_without_restart_and_a_broken_replacement_keeps_the_last_good_list()
    {
        var partnerClient = partner.Client("partner-app");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfNewConnectionAsync(partnerClient));

        await gateway.PublishCrlAsync(partner.Root, []);
        AtomicFile.Write(Path.Combine(gateway.TrustFolder, "partner.pem"), partner.Root.Certificate.ExportCertificatePem());
        await Eventually.HoldsAsync(async () => await StatusOfNewConnectionAsync(partnerClient) == HttpStatusCode.OK, "the added CA to be trusted");

        // A half-written or corrupt replacement: the gateway must keep trusting what it trusted before.
        AtomicFile.Write(Path.Combine(gateway.TrustFolder, "partner.pem"), "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
        await Eventually.HoldsAsync(() => Task.FromResult(gateway.Logs.Events.Any(e => e.Message.Contains("Trust list reload failed", StringComparison.Ordinal))), "the reload error to be logged");
        Assert.Equal(HttpStatusCode.OK, await StatusOfNewConnectionAsync(partnerClient));
        Assert.Equal(HttpStatusCode.OK, await StatusOfNewConnectionAsync(pki.Client("original")));

        // Removing the partner CA takes effect as well.
        File.Delete(Path.Combine(gateway.TrustFolder, "partner.pem"));
        await Eventually.HoldsAsync(async () => await StatusOfNewConnectionAsync(partnerClient) == HttpStatusCode.Forbidden, "the removed CA to be distrusted");
        Assert.Equal(HttpStatusCode.OK, await StatusOfNewConnectionAsync(pki.Client("original")));
    }

    private async Task<HttpStatusCode> StatusOfNewConnectionAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        using var client = gateway.CreateClient(certificate);
        using var response = await client.GetAsync("/");
        return response.StatusCode;
    }
}
