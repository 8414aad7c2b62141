using Microsoft.Extensions.Logging.Abstractions;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Validation.Trust;

public sealed class TrustListTests : IDisposable
{
    private readonly TempFolder folder = new("trust-");
    private readonly TestCa first = TestCa.CreateRoot("CN=First");
    private readonly TestCa second = TestCa.CreateRoot("CN=Second");

    public void Dispose()
    {
        first.Dispose();
        second.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void Reads_PEM_bundles_DER_files_and_folders()
    {
        var bundle = folder.Write("bundle.pem", first.Certificate.ExportCertificatePem() + "\n" + second.Certificate.ExportCertificatePem());
        Assert.Equal(["CN=First", "CN=Second"], TrustList.Load([bundle], [], DateTimeOffset.UtcNow).Anchors.Select(c => c.Subject));

        var der = folder.Write("der/first.cer", first.Certificate.RawData);
        Assert.Equal(["CN=First"], TrustList.Load([System.IO.Path.GetDirectoryName(der)!], [], DateTimeOffset.UtcNow).Anchors.Select(c => c.Subject));
    }

    [Fact]
    public void Ignores_hidden_files_in_folders()
    {
        folder.Write("cas/root.pem", first.Certificate.ExportCertificatePem());
        folder.Write("cas/.root.pem.swp", "editor junk");
        Assert.Single(TrustList.Load([folder.PathOf("cas")], [], DateTimeOffset.UtcNow).Anchors);
    }

    [Fact]
    public void Refuses_a_certificate_that_is_not_a_CA()
    {
        using var leaf = first.Issue("CN=leaf");
        var file = folder.Write("leaf.pem", leaf.ExportCertificatePem());
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
        var file = folder.Write(name, content);
        var error = Assert.Throws<CertificateSourceException>(() => TrustList.Load([file], [], DateTimeOffset.UtcNow));
        Assert.Equal(file, error.Source);
    }

    [Fact]
    public void Refuses_a_missing_entry()
    {
        var error = Assert.Throws<CertificateSourceException>(() => TrustList.Load([folder.PathOf("gone")], [], DateTimeOffset.UtcNow));
        Assert.Equal("no such file or folder", error.Problem);
    }

    [Fact]
    public void Provider_reloads_on_change_and_keeps_the_last_good_list_when_the_replacement_is_broken()
    {
        var file = folder.Write("roots.pem", first.Certificate.ExportCertificatePem());
        var epoch = new ValidationEpoch();
        using var provider = new TrustListProvider([file], [], TimeSpan.FromHours(1), epoch, NullLogger.Instance, TimeProvider.System);
        var changes = 0;
        provider.Changed += _ => changes++;

        provider.Reload();
        Assert.Equal(0, changes); // same content, nothing to do
        Assert.Equal(0, epoch.Current);

        folder.Write("roots.pem", first.Certificate.ExportCertificatePem() + "\n" + second.Certificate.ExportCertificatePem());
        provider.Reload();
        Assert.Equal(2, provider.Current.Anchors.Count);
        Assert.Equal(1, epoch.Current);
        Assert.Null(provider.LastError);

        folder.Write("roots.pem", "-----BEGIN CERTIFICATE-----\ntruncated");
        provider.Reload();
        Assert.Equal(2, provider.Current.Anchors.Count);
        Assert.Equal(1, epoch.Current);
        Assert.NotNull(provider.LastError);
        Assert.Equal(1, changes);
    }
}
