using System.Security.Cryptography;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.IntegrationTests.Cli;

/// <summary>
/// check-cert on certificates from the malformed corpus, as the real executable: a verdict (exit 0 or 2) or one line
/// saying the file cannot be read (exit 1). On main, a notBefore in year 0 crashed it with a stack trace.
/// </summary>
public sealed class CheckCertMalformedTests : IDisposable
{
    private readonly TestPki pki = new();
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string folder = Directory.CreateTempSubdirectory("mtlsgateway-check-corpus-").FullName;

    public void Dispose()
    {
        key.Dispose();
        pki.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("notBefore year 0 (GeneralizedTime)", 2, "rejected: untrusted: the client certificate is unreadable or malformed")]
    [InlineData("notAfter month 13", 2, "notAfter 20401301000000Z cannot be read")]
    [InlineData("duplicate subjectAltName", 2, "extension 2.5.29.17 (subjectAltName) appears more than once")]
    [InlineData("unknown critical extension", 2, "carries a critical extension the gateway does not support")]
    [InlineData("version 255", 2, "is not a version of X.509")]
    [InlineData("serial of 200 octets", 2, "serialNumber is 200 octets long, more than the 20 RFC 5280 allows")]
    [InlineData("indefinite length inside the signed part", 2, "the certificate is not DER-encoded")]
    [InlineData("subject control characters", 2, @"\u001B[31mred\r\nfake line\u007F\u009B\u202E\u2028")]
    [InlineData("truncated in the middle", 1, "check-cert: ")]
    [InlineData("subject invalid UTF-8", 1, "check-cert: ")]
    [InlineData("only a tag", 1, "check-cert: ")]
    public async Task A_malformed_certificate_gets_a_verdict_or_one_line_never_a_crash(string name, int exitCode, string expected)
    {
        var corpus = new MalformedCertificates(pki.Root.Certificate, key);
        var certificate = Path.Combine(folder, "client.pem");
        await File.WriteAllTextAsync(certificate, PemEncoding.WriteString("CERTIFICATE", corpus.All().Single(c => c.Name == name).Der));
        var trust = Path.Combine(folder, "ca.pem");
        await File.WriteAllTextAsync(trust, pki.Root.Certificate.ExportCertificatePem());

        var result = await GatewayProcess.RunAsync(folder, "check-cert", certificate, "--trust", trust);

        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}: {result.Output}");
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.Single(result.Output.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Output);
    }
}
