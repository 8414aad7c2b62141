using Microsoft.Extensions.Logging.Abstractions;
using MtlsGateway.DevelopmentMode;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Trust;

public sealed class TrustListTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("trust-").FullName;
    private readonly CertificateAuthority first = CertificateAuthority.CreateRoot("CN=First");
    private readonly CertificateAuthority second = CertificateAuthority.CreateRoot("CN=Second");

    public void Dispose()
    {
        first.Dispose();
        second.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Reads_PEM_bundles_DER_files_and_folders()
    {
        var bundle = Write("bundle.pem", first.Certificate.ExportCertificatePem() + "\n" + second.Certificate.ExportCertificatePem());
        Assert.Equal(["CN=First", "CN=Second"], TrustList.Load([bundle], [], DateTimeOffset.UtcNow).Anchors.Select(c => c.Subject));

        var der = System.IO.Path.Combine(folder, "der", "first.cer");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(der)!);
        File.WriteAllBytes(der, first.Certificate.RawData);
        Assert.Equal(["CN=First"], TrustList.Load([System.IO.Path.GetDirectoryName(der)!], [], DateTimeOffset.UtcNow).Anchors.Select(c => c.Subject));
    }

    [Fact]
    public void Ignores_hidden_files_in_folders()
    {
        Directory.CreateDirectory(System.IO.Path.Combine(folder, "cas"));
        Write("cas/root.pem", first.Certificate.ExportCertificatePem());
        Write("cas/.root.pem.swp", "editor junk");
        Assert.Single(TrustList.Load([System.IO.Path.Combine(folder, "cas")], [], DateTimeOffset.UtcNow).Anchors);
    }

    [Fact]
    public void Refuses_a_certificate_that_is_not_a_CA()
    {
        using var leaf = first.Issue("CN=leaf", [CertificateAuthority.ClientAuthOid]);
        var file = Write("leaf.pem", leaf.ExportCertificatePem());
        var error = Assert.Throws<CertificateSourceException>(() => TrustList.Load([file], [], DateTimeOffset.UtcNow));
        Assert.Equal(file, error.Source);
        Assert.Contains("'CN=leaf' is not a CA certificate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty.pem", "")]
    [InlineData("text.pem", "just some text")]
    [InlineData("key.pem", "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n")]
    [InlineData("broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    public void Refuses_files_without_a_readable_certificate(string name, string content)
    {
        var file = Write(name, content);
        var error = Assert.Throws<CertificateSourceException>(() => TrustList.Load([file], [], DateTimeOffset.UtcNow));
        Assert.Equal(file, error.Source);
    }

    [Fact]
    public void Refuses_a_missing_entry()
    {
        var error = Assert.Throws<CertificateSourceException>(() => TrustList.Load([System.IO.Path.Combine(folder, "gone")], [], DateTimeOffset.UtcNow));
        Assert.Equal("no such file or folder", error.Problem);
    }

    [Fact]
    public void Provider_reloads_on_change_and_keeps_the_last_good_list_when_the_replacement_is_broken()
    {
        var file = Write("roots.pem", first.Certificate.ExportCertificatePem());
        var epoch = new ValidationEpoch();
        using var provider = new TrustListProvider([file], [], TimeSpan.FromHours(1), epoch, NullLogger.Instance, TimeProvider.System);
        var changes = 0;
        provider.Changed += _ => changes++;

        provider.Reload();
        Assert.Equal(0, changes); // same content, nothing to do
        Assert.Equal(0, epoch.Current);

        Write("roots.pem", first.Certificate.ExportCertificatePem() + "\n" + second.Certificate.ExportCertificatePem());
        provider.Reload();
        Assert.Equal(2, provider.Current.Anchors.Count);
        Assert.Equal(1, epoch.Current);
        Assert.Null(provider.LastError);

        Write("roots.pem", "-----BEGIN CERTIFICATE-----\ntruncated");
        provider.Reload();
        Assert.Equal(2, provider.Current.Anchors.Count);
        Assert.Equal(1, epoch.Current);
        Assert.NotNull(provider.LastError);
        Assert.Equal(1, changes);
    }

    private string Write(string name, string content)
    {
        var path = System.IO.Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}
