using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.IntegrationTests.Outbound;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.IntegrationTests.Telemetry;

/// <summary>
/// A client certificate whose subject and issuer carry terminal escape sequences, a forged log line and a
/// bidirectional override, presented to the real executable: its console output shows them escaped, on one line.
/// </summary>
public sealed class LogInjectionProcessTests : IDisposable
{
    private const string CommonName = "2.5.4.3";
    private const string HostileSubject = "mallory\u001b[31m\u001b]0;owned\u0007\r\n2026-01-01T00:00:00.000Z info MtlsGateway: accepted admin\u009b2J\u202Etxt.exe";
    private const string HostileIssuer = "Stranger\u001b[2J\u007f Root";

    private readonly TestPki pki = new();
    private readonly string contentRoot;

    public LogInjectionProcessTests() => contentRoot = TestGateway.WriteContentRoot(pki);

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(contentRoot, recursive: true);
    }

    [Fact]
    public async Task Control_characters_in_a_refused_certificate_reach_the_console_escaped_on_one_line()
    {
        await using var upstream = await TestUpstream.StartAsync();
        var settings = TestGateway.BaseSettings(upstream.Address);
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "appsettings.json"), OutboundGateway.AsJson(settings));
        var (gateway, address) = await GatewayProcess.StartAsync(contentRoot, new Dictionary<string, string?>());
        await using var _ = gateway;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = HostileRoot(key);
        var raw = new RawCertificate(stranger, key) { SubjectName = RawCertificate.Name((CommonName, 0x0C, Encoding.UTF8.GetBytes(HostileSubject))) };
        using var certificate = X509CertificateLoader.LoadCertificate(raw.Encode()).CopyWithPrivateKey(key);
        Assert.Contains('\u001b', certificate.Subject); // what .NET hands the gateway is raw

        using (var client = MutualTlsClient.Create(address, pki.Server, certificate))
        using (var response = await client.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var line = await gateway.WaitForLineAsync(l => l.Contains("Client certificate refused", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Contains(@"mallory\u001B[31m\u001B]0;owned\u0007\r\n2026-01-01T00:00:00.000Z info MtlsGateway: accepted admin\u009B2J\u202Etxt.exe", line, StringComparison.Ordinal);
        Assert.Contains(@"Stranger\u001B[2J\u007F Root", line, StringComparison.Ordinal);
        foreach (var control in new[] { '\u001b', '\u0007', '\u007f', '\u009b', '\u202e', '\r' })
        {
            Assert.DoesNotContain(control, gateway.Output);
        }

        // The forged line did not become a line of its own.
        Assert.DoesNotContain(gateway.Output.Split('\n'), l => l.StartsWith("2026-01-01T00:00:00.000Z", StringComparison.Ordinal));
    }

    private static X509Certificate2 HostileRoot(ECDsa key)
    {
        var name = new X500DistinguishedName(RawCertificate.Name((CommonName, 0x0C, Encoding.UTF8.GetBytes(HostileIssuer))));
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }
}
