using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.TestSupport.Processes;
using Xunit.Abstractions;

namespace MtlsGateway.IntegrationTests.ClientCertificates;

/// <summary>
/// The malformed-certificate corpus presented to the real gateway over real TLS: by .NET's client where .NET can load
/// the certificate, by curl (OpenSSL) where it cannot. Every request gets the echo's 200 or a 403 naming its reason;
/// the TLS layer may refuse what it cannot parse. Never a 500, never an exception in the log.
/// </summary>
public sealed class MalformedCertificateGatewayTests : IDisposable
{
    private readonly TestPki pki = new();
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string folder = Directory.CreateTempSubdirectory("corpus-gateway-").FullName;
    private readonly ITestOutputHelper output;

    public MalformedCertificateGatewayTests(ITestOutputHelper output) => this.output = output;

    public void Dispose()
    {
        key.Dispose();
        pki.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Every_corpus_certificate_gets_200_or_a_named_refusal_never_a_500()
    {
        await using var gateway = await TestGateway.StartAsync(pki);
        var corpus = new MalformedCertificates(pki.Root.Certificate, key);
        var keyFile = Path.Combine(folder, "client.key");
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        var outcomes = new List<string>();
        var index = 0;
        foreach (var (name, der) in corpus.All())
        {
            var (status, body) = await PresentAsync(gateway, der, keyFile, index++);
            outcomes.Add($"{name}: {status} {body}");
            Assert.False(status == 500, $"{name}: 500 {body}");
            if (status == 403)
            {
                var problem = JsonDocument.Parse(body).RootElement;
                Assert.False(string.IsNullOrEmpty(problem.GetProperty("reason").GetString()), $"{name}: {body}");
                Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()), $"{name}: {body}");
                Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            }
        }

        output.WriteLine(string.Join('\n', outcomes));
        Assert.DoesNotContain(gateway.Logs.Events, e => e.Exception is not null || e.Level >= LogLevel.Error);
        Assert.Contains(outcomes, o => o.Contains(": 200 ", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.Contains(": 403 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_notBefore_in_year_0_is_403_untrusted_naming_the_field()
    {
        // On main: X509Certificate2.NotBefore threw inside the request, and the client got 500 Internal gateway error.
        await using var gateway = await TestGateway.StartAsync(pki);
        var corpus = new MalformedCertificates(pki.Root.Certificate, key);
        var der = corpus.All().Single(c => c.Name == "notBefore year 0 (GeneralizedTime)").Der;
        using var certificate = X509CertificateLoader.LoadCertificate(der).CopyWithPrivateKey(key);
        using var client = gateway.CreateClient(certificate);

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        var detail = (await ProblemAssert.RefusedAsync(response, "untrusted")).GetProperty("detail").GetString();
        Assert.Contains("notBefore 00000101000000Z cannot be read", detail, StringComparison.Ordinal);
    }

    /// <summary>The status and body, or 0 and what stopped the handshake (the TLS layer refusing what it cannot parse).</summary>
    private async Task<(int Status, string Body)> PresentAsync(TestGateway gateway, byte[] der, string keyFile, int index)
    {
        X509Certificate2 certificate;
        try
        {
            using var loaded = X509CertificateLoader.LoadCertificate(der);
            certificate = loaded.CopyWithPrivateKey(key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // .NET will not load it, or not pair it with its key (a keyUsage it cannot decode, a key it does not know): OpenSSL's curl may.
            return await PresentWithCurlAsync(gateway, der, keyFile, index);
        }

        using var presented = certificate;
        using var client = gateway.CreateClient(presented);
        try
        {
            using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            // .NET's client may refuse to send what it cannot read itself: whether the gateway refuses it, curl shows.
            return await PresentWithCurlAsync(gateway, der, keyFile, index);
        }
    }

    private async Task<(int Status, string Body)> PresentWithCurlAsync(TestGateway gateway, byte[] der, string keyFile, int index)
    {
        var certificateFile = Path.Combine(folder, $"case-{index}.pem");
        await File.WriteAllTextAsync(certificateFile, PemEncoding.WriteString("CERTIFICATE", der));
        var bodyFile = Path.Combine(folder, $"case-{index}.body");
        var result = await ProcessRunner.RunAsync("curl", ["-sS", "-k", "--cert", certificateFile, "--key", keyFile, "-o", bodyFile, "-w", "%{http_code}", new Uri(gateway.Address, "/").AbsoluteUri]);
        if (result.ExitCode == 58)
        {
            return (0, "curl cannot load it either: " + result.StandardError.Trim());
        }

        var status = int.TryParse(result.StandardOutput.Trim(), out var code) ? code : 0;
        return status == 0
            ? (0, $"handshake refused (curl exit {result.ExitCode}: {result.StandardError.Trim()})")
            : (status, File.Exists(bodyFile) ? await File.ReadAllTextAsync(bodyFile) : string.Empty);
    }
}
