using System.Net;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.TestSupport.Timing;
using MtlsGateway.Validation.Revocation.Crl;

namespace MtlsGateway.IntegrationTests.Revocation;

/// <summary>
/// Delta, indirect and reason-partitioned CRLs dropped into the CRL folder of the real gateway, judged for clients
/// connecting with real TLS.
/// </summary>
public sealed class CrlScopeRevocationTests : GatewayPerTest
{
    private static readonly X509RevocationReason[] Compromise = [X509RevocationReason.KeyCompromise, X509RevocationReason.CACompromise];

    private static readonly X509RevocationReason[] OtherReasons =
    [
        X509RevocationReason.AffiliationChanged, X509RevocationReason.Superseded, X509RevocationReason.CessationOfOperation,
        X509RevocationReason.CertificateHold, X509RevocationReason.PrivilegeWithdrawn, X509RevocationReason.AACompromise,
    ];

    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;

    public CrlScopeRevocationTests()
        : base(new TestPki("Scopes"))
    {
    }

    [Fact]
    public async Task A_delta_crl_dropped_into_the_folder_revokes_a_client_on_its_open_keep_alive_connection()
    {
        using var measurements = new GatewayMeasurements(gateway, GatewayMeasurements.Handshakes);
        var certificate = pki.Client("delta-kept-alive");
        var baseFile = Path.Combine(gateway.CrlFolder, TestGateway.CrlFileName(pki.Root));
        var baseNumber = CertificateRevocationList.Parse(await File.ReadAllBytesAsync(baseFile)).CrlNumber!.Value;
        using var client = gateway.CreateClient(certificate);
        using (var before = await client.GetAsync("/before"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var delta = pki.Root.CreateCrl(crl =>
        {
            crl.ThisUpdate = now.AddMinutes(-1);
            crl.NextUpdate = now.AddHours(1);
            crl.Number = baseNumber + 1;
            crl.Revoke(certificate, X509RevocationReason.KeyCompromise, now.AddMinutes(-2)).DeltaOf(baseNumber);
        });
        await DropAsync("root-delta.crl", delta, baseNumber + 1);

        using (var after = await client.GetAsync("/after"))
        {
            var problem = await ProblemAssert.RefusedAsync(after, "revoked");
            Assert.Contains("delta CRL", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(1, measurements.Total(GatewayMeasurements.Handshakes)); // the same TLS connection served both requests
        using var other = gateway.CreateClient(pki.Client("not-in-the-delta"));
        using var admitted = await other.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    [Fact]
    public async Task An_indirect_crl_from_the_crl_issuer_the_certificate_names_revokes_it()
    {
        using var crlIssuer = pki.Root.CreateIntermediate("CN=Scopes Indirect CRL Issuer, O=MtlsGateway Tests");
        var namesCrlIssuer = TestExtensions.CrlDistributionPoints(new DistributionPoint(CrlIssuer: crlIssuer.Name));
        using var revoked = pki.Client("indirectly-revoked", profile => profile.Extensions.Add(namesCrlIssuer));
        using var honest = pki.Client("indirectly-good", profile => profile.Extensions.Add(namesCrlIssuer));
        var indirect = crlIssuer.CreateCrl(crl =>
        {
            crl.ThisUpdate = now.AddMinutes(-5);
            crl.NextUpdate = now.AddDays(1);
            crl.Number = 7;
            crl.Entries.Add(new RevocationEntry(revoked.SerialNumberBytes.ToArray(), now.AddMinutes(-10), X509RevocationReason.KeyCompromise, Extension: TestExtensions.CertificateIssuer(pki.Root.Name)));
            crl.Extensions.Add(TestExtensions.IssuingDistributionPoint(null, indirectCrl: true));
        });
        await DropAsync("indirect.crl", indirect, 7);

        // The client sends the CRL issuer's certificate along in its handshake (openssl sends what it is given;
        // .NET's client trims its chain to the certificate's own path).
        var refused = await RequestWithOpenSslAsync(revoked, crlIssuer.Certificate);
        var admitted = await RequestWithOpenSslAsync(honest, crlIssuer.Certificate);
        var withoutCrlIssuer = await RequestWithOpenSslAsync(honest, null);

        Assert.Contains("HTTP/1.1 403", refused, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"revoked\"", refused, StringComparison.Ordinal);
        Assert.Contains("Scopes Indirect CRL Issuer", refused, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200", admitted, StringComparison.Ordinal);

        // Without the CRL issuer's certificate the indirect CRL cannot be verified: unknown, not good.
        Assert.Contains("\"reason\":\"revocation-unknown\"", withoutCrlIssuer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reason_partitioned_crls_admit_a_client_only_when_together_they_cover_every_reason()
    {
        var certificate = pki.Client("partitioned");
        await DropAsync("compromise.crl", Partition(11, Compromise, []), 11);
        File.Delete(Path.Combine(gateway.CrlFolder, TestGateway.CrlFileName(pki.Root)));
        await LoadedAsync([11]);

        using (var client = gateway.CreateClient(certificate))
        using (var response = await client.GetAsync("/"))
        {
            var problem = await ProblemAssert.RefusedAsync(response, "revocation-unknown");
            Assert.Contains("cover only keyCompromise, cACompromise", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await DropAsync("other-reasons.crl", Partition(12, OtherReasons, []), 12);
        using (var client = gateway.CreateClient(certificate))
        using (var response = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await DropAsync("other-reasons.crl", Partition(13, OtherReasons, [certificate]), 13);
        using (var client = gateway.CreateClient(certificate))
        using (var response = await client.GetAsync("/"))
        {
            await ProblemAssert.RefusedAsync(response, "revoked");
        }
    }

    /// <summary>One HTTP/1.1 request through openssl s_client presenting <paramref name="certificate"/> and, in the chain it sends, <paramref name="sendAlong"/>.</summary>
    private async Task<string> RequestWithOpenSslAsync(X509Certificate2 certificate, X509Certificate2? sendAlong)
    {
        using var folder = new TempFolder();
        var certificateFile = folder.Write("client.pem", certificate.ExportCertificatePem());
        string keyFile;
        using (var key = certificate.GetECDsaPrivateKey()!)
        {
            keyFile = folder.Write("client.key", key.ExportPkcs8PrivateKeyPem());
        }

        List<string> arguments = ["s_client", "-connect", $"127.0.0.1:{gateway.Address.Port}", "-servername", "localhost", "-cert", certificateFile, "-key", keyFile, "-quiet", "-ign_eof"];
        if (sendAlong is not null)
        {
            arguments.AddRange(["-cert_chain", folder.Write("chain.pem", sendAlong.ExportCertificatePem())]);
        }

        var result = await OpenSsl.RunAsync(arguments, standardInput: "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        return result.Output;
    }

    private byte[] Partition(int number, X509RevocationReason[] reasons, IEnumerable<X509Certificate2> held) =>
        pki.Root.CreateCrl(crl =>
        {
            crl.ThisUpdate = now.AddMinutes(-5);
            crl.NextUpdate = now.AddDays(1);
            crl.Number = number;
            foreach (var certificate in held)
            {
                crl.Revoke(certificate, X509RevocationReason.CertificateHold, now.AddMinutes(-1));
            }

            crl.Extensions.Add(TestExtensions.IssuingDistributionPoint(null, onlySomeReasons: reasons));
        });

    /// <summary>Writes a CRL aside and renames it into the CRL folder, as an operator would, and waits until the gateway loaded it.</summary>
    private async Task DropAsync(string name, byte[] der, BigInteger number)
    {
        var temporary = Path.Combine(gateway.CrlFolder, "." + name);
        await File.WriteAllBytesAsync(temporary, der);
        File.Move(temporary, Path.Combine(gateway.CrlFolder, name), overwrite: true);
        var store = gateway.Services.GetRequiredService<MtlsGateway.Revocation.RevocationSources>().CrlFiles!;
        await Eventually.HoldsAsync(() => store.Summaries().Any(summary => summary.CrlNumber == number), $"CRL number {number} to be loaded");
    }

    private Task LoadedAsync(int[] numbers)
    {
        var store = gateway.Services.GetRequiredService<MtlsGateway.Revocation.RevocationSources>().CrlFiles!;
        return Eventually.HoldsAsync(
            () => store.Summaries().Select(summary => summary.CrlNumber).Order().SequenceEqual(numbers.Select(number => (BigInteger?)number)),
            "exactly CRLs " + string.Join(", ", numbers) + " to be loaded");
    }
}
