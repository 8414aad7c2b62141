using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.DevelopmentMode;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.Tests.Revocation.Crl;
using MtlsGateway.Validation.Revocation.Crl;

namespace MtlsGateway.IntegrationTests.Revocation;

/// <summary>
/// Delta, indirect and reason-partitioned CRLs dropped into the CRL folder of the real gateway, judged for clients
/// connecting with real TLS.
/// </summary>
public sealed class CrlScopeRevocationTests : IAsyncLifetime
{
    private static readonly X509RevocationReason[] Compromise = [X509RevocationReason.KeyCompromise, X509RevocationReason.CACompromise];

    private static readonly X509RevocationReason[] OtherReasons =
    [
        X509RevocationReason.AffiliationChanged, X509RevocationReason.Superseded, X509RevocationReason.CessationOfOperation,
        X509RevocationReason.CertificateHold, X509RevocationReason.PrivilegeWithdrawn, X509RevocationReason.AACompromise,
    ];

    private readonly TestPki pki = new("Scopes");
    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private TestGateway gateway = null!;

    public async Task InitializeAsync() => gateway = await TestGateway.StartAsync(pki);

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        pki.Dispose();
    }

    [Fact]
    public async Task A_delta_crl_dropped_into_the_folder_revokes_a_client_on_its_open_keep_alive_connection()
    {
        var handshakes = 0L;
        using var listener = CountHandshakes(() => Interlocked.Increment(ref handshakes));
        var certificate = pki.Client("delta-kept-alive");
        var baseFile = Path.Combine(gateway.CrlFolder, TestGateway.CrlFileName(pki.Root));
        var baseNumber = CertificateRevocationList.Parse(await File.ReadAllBytesAsync(baseFile)).CrlNumber!.Value;
        using var client = gateway.CreateClient(certificate);
        using (var before = await client.GetAsync("/before"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var delta = TestCrlWriter.Write(
            pki.Root.Certificate.SubjectName,
            Signer(pki.Root.Certificate),
            now.AddMinutes(-1),
            now.AddHours(1),
            [new TestCrlEntry(certificate.SerialNumberBytes.ToArray(), now.AddMinutes(-2), X509RevocationReason.KeyCompromise)],
            [TestCrlWriter.CrlNumber((baseNumber + 1).ToByteArray(isUnsigned: false, isBigEndian: true)), TestCrlWriter.DeltaCrlIndicator(baseNumber.ToByteArray(isUnsigned: false, isBigEndian: true))]);
        await DropAsync("root-delta.crl", delta, baseNumber + 1);

        using (var after = await client.GetAsync("/after"))
        {
            var problem = await ProblemAssert.RefusedAsync(after, "revoked");
            Assert.Contains("delta CRL", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(1, Interlocked.Read(ref handshakes)); // the same TLS connection served both requests
        using var other = gateway.CreateClient(pki.Client("not-in-the-delta"));
        using var admitted = await other.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    [Fact]
    public async Task An_indirect_crl_from_the_crl_issuer_the_certificate_names_revokes_it()
    {
        using var crlIssuer = pki.Root.CreateIntermediate("CN=Scopes Indirect CRL Issuer, O=MtlsGateway Tests");
        var namesCrlIssuer = TestDistributionPoints.Extension(new TestDistributionPoint(CrlIssuer: crlIssuer.Certificate.SubjectName));
        using var revoked = pki.Root.Issue("CN=indirectly-revoked, O=Tests", [CertificateAuthority.ClientAuthOid], customize: request => request.CertificateExtensions.Add(namesCrlIssuer));
        using var honest = pki.Root.Issue("CN=indirectly-good, O=Tests", [CertificateAuthority.ClientAuthOid], customize: request => request.CertificateExtensions.Add(namesCrlIssuer));
        var indirect = TestCrlWriter.Write(
            crlIssuer.Certificate.SubjectName,
            Signer(crlIssuer.Certificate),
            now.AddMinutes(-5),
            now.AddDays(1),
            [new TestCrlEntry(revoked.SerialNumberBytes.ToArray(), now.AddMinutes(-10), X509RevocationReason.KeyCompromise, CertificateIssuer: pki.Root.Certificate.SubjectName)],
            [TestCrlWriter.CrlNumber(7), TestCrlWriter.IssuingDistributionPoint(null, indirect: true)]);
        await DropAsync("indirect.crl", indirect, 7);

        // The client sends the CRL issuer's certificate along in its handshake (openssl does send what it is given;
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
        var compromise = Partition(11, Compromise, []);
        await DropAsync("compromise.crl", compromise, 11);
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

        await DropAsync("other-reasons.crl", Partition(13, OtherReasons, [new TestCrlEntry(certificate.SerialNumberBytes.ToArray(), now.AddMinutes(-1), X509RevocationReason.CertificateHold)]), 13);
        using (var client = gateway.CreateClient(certificate))
        using (var response = await client.GetAsync("/"))
        {
            await ProblemAssert.RefusedAsync(response, "revoked");
        }
    }

    /// <summary>One HTTP/1.1 request through openssl s_client presenting <paramref name="certificate"/> and, in the chain it sends, <paramref name="sendAlong"/>.</summary>
    private async Task<string> RequestWithOpenSslAsync(X509Certificate2 certificate, X509Certificate2? sendAlong)
    {
        var folder = Directory.CreateTempSubdirectory("mtlsgw-sclient-").FullName;
        try
        {
            var certificateFile = Path.Combine(folder, "client.pem");
            var keyFile = Path.Combine(folder, "client.key");
            await File.WriteAllTextAsync(certificateFile, certificate.ExportCertificatePem());
            using (var key = certificate.GetECDsaPrivateKey()!)
            {
                await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
            }

            var chain = string.Empty;
            if (sendAlong is not null)
            {
                var chainFile = Path.Combine(folder, "chain.pem");
                await File.WriteAllTextAsync(chainFile, sendAlong.ExportCertificatePem());
                chain = $" -cert_chain {chainFile}";
            }

            return await OpenSsl.RunAsync(
                $"s_client -connect 127.0.0.1:{gateway.Address.Port} -servername localhost -cert {certificateFile} -key {keyFile}{chain} -quiet -ign_eof",
                "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static X509SignatureGenerator Signer(X509Certificate2 ca) => X509SignatureGenerator.CreateForECDsa(ca.GetECDsaPrivateKey()!);

    private byte[] Partition(int number, X509RevocationReason[] reasons, IEnumerable<TestCrlEntry> entries) =>
        TestCrlWriter.Write(
            pki.Root.Certificate.SubjectName,
            Signer(pki.Root.Certificate),
            now.AddMinutes(-5),
            now.AddDays(1),
            entries,
            [TestCrlWriter.CrlNumber(number), TestCrlWriter.IssuingDistributionPoint(null, onlySomeReasons: reasons)]);

    /// <summary>Writes a CRL aside and renames it into the CRL folder, as an operator would, and waits until the gateway loaded it.</summary>
    private async Task DropAsync(string name, byte[] der, System.Numerics.BigInteger number)
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
            () => store.Summaries().Select(summary => summary.CrlNumber).Order().SequenceEqual(numbers.Select(number => (System.Numerics.BigInteger?)number)),
            "exactly CRLs " + string.Join(", ", numbers) + " to be loaded");
    }

    private MeterListener CountHandshakes(Action counted)
    {
        var listener = new MeterListener();
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "mtlsgateway.tls.handshakes")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => counted());
        listener.Start();
        return listener;
    }
}
