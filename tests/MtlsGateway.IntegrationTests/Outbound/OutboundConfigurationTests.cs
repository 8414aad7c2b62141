using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Hosting;
using MtlsGateway.IntegrationTests.Harness;

namespace MtlsGateway.IntegrationTests.Outbound;

/// <summary>
/// Bad outbound settings stop start-up with one line naming the key. None of these reaches a token: the checks run
/// before any PKCS#11 module is loaded.
/// </summary>
public sealed class OutboundConfigurationTests : IDisposable
{
    private readonly TestPki pki = new();
    private readonly string contentRoot;
    private readonly Dictionary<string, string?> settings;

    public OutboundConfigurationTests()
    {
        contentRoot = OutboundGateway.ContentRoot(pki);
        File.WriteAllText(Path.Combine(contentRoot, "upstream-ca.pem"), pki.Root.Certificate.ExportCertificatePem());
        settings = OutboundGateway.Settings(new Uri("https://localhost:9/"));
    }

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(contentRoot, recursive: true);
    }

    [Fact]
    public async Task Cluster_naming_an_unknown_identity_is_refused()
    {
        settings["ReverseProxy:Clusters:upstream:Metadata:OutboundIdentity"] = "ghost";

        var message = await StartupErrorAsync();

        Assert.Equal("ReverseProxy:Clusters:upstream:Metadata:OutboundIdentity: no outbound identity named 'ghost' under Gateway:OutboundIdentities", message);
    }

    [Fact]
    public async Task Accepting_any_upstream_certificate_is_refused()
    {
        settings["ReverseProxy:Clusters:upstream:HttpClient:DangerousAcceptAnyServerCertificate"] = "true";

        var message = await StartupErrorAsync();

        Assert.StartsWith("ReverseProxy:Clusters:upstream:HttpClient:DangerousAcceptAnyServerCertificate: refused: the gateway always verifies upstream server certificates", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_pinned_upstream_CA_file_names_the_key()
    {
        settings["ReverseProxy:Clusters:upstream:Metadata:UpstreamTrustedCaFile"] = "nowhere-ca.pem";

        var message = await StartupErrorAsync();

        Assert.StartsWith("ReverseProxy:Clusters:upstream:Metadata:UpstreamTrustedCaFile: ", message, StringComparison.Ordinal);
        Assert.Contains("nowhere-ca.pem", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbound_identity_on_a_plain_http_upstream_is_refused()
    {
        File.WriteAllText(Path.Combine(contentRoot, "a.crt"), "unused");
        settings["Gateway:OutboundIdentities:soft:File:CertificatePath"] = "a.crt";
        settings["Gateway:OutboundIdentities:soft:File:KeyPath"] = "a.key";
        settings["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = "http://127.0.0.1:9/";
        settings["ReverseProxy:Clusters:upstream:Metadata:OutboundIdentity"] = "soft";

        var message = await StartupErrorAsync();

        Assert.StartsWith("ReverseProxy:Clusters:upstream:Destinations:one:Address: 'http://127.0.0.1:9/' is not https://", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identity_with_both_Pkcs11_and_File_is_refused()
    {
        settings["Gateway:OutboundIdentities:card:Pkcs11:ModulePath"] = "/usr/lib/softhsm/libsofthsm2.so";
        settings["Gateway:OutboundIdentities:card:File:CertificatePath"] = "a.crt";

        Assert.Equal("Gateway:OutboundIdentities:card: set either Pkcs11 (a token key) or File (a software key), not both", await StartupErrorAsync());
    }

    [Fact]
    public async Task Identity_without_a_PIN_source_is_refused()
    {
        TokenIdentity();
        settings.Remove("Gateway:OutboundIdentities:card:Pkcs11:PinFile");

        Assert.Equal("Gateway:OutboundIdentities:card:Pkcs11: PinFile or PinEnvironmentVariable is required (the PIN itself is never a setting)", await StartupErrorAsync());
    }

    [Fact]
    public async Task Misspelt_setting_is_refused_rather_than_ignored()
    {
        TokenIdentity();
        settings["Gateway:OutboundIdentities:card:Pkcs11:Pin"] = "1234";

        var message = await StartupErrorAsync();

        Assert.StartsWith("Gateway:OutboundIdentities:card:Pkcs11:Pin: unknown setting", message, StringComparison.Ordinal);
        Assert.DoesNotContain("1234", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_PIN_file_names_the_key_and_the_resolved_path()
    {
        TokenIdentity();

        var message = await StartupErrorAsync();

        Assert.Equal($"Gateway:OutboundIdentities:card:Pkcs11:PinFile: PIN file '{Path.Combine(contentRoot, "secrets", "card.pin")}' cannot be read (DirectoryNotFoundException)", message);
    }

    [Fact]
    public async Task Empty_PIN_environment_variable_is_refused()
    {
        TokenIdentity();
        settings.Remove("Gateway:OutboundIdentities:card:Pkcs11:PinFile");
        settings["Gateway:OutboundIdentities:card:Pkcs11:PinEnvironmentVariable"] = "MTLSGW_TEST_UNSET_PIN_VARIABLE";

        Assert.Equal("Gateway:OutboundIdentities:card:Pkcs11:PinEnvironmentVariable: environment variable 'MTLSGW_TEST_UNSET_PIN_VARIABLE' is not set", await StartupErrorAsync());
    }

    [Fact]
    public async Task Software_key_that_belongs_to_another_certificate_is_refused()
    {
        using var certificate = pki.Client("outbound");
        using var other = pki.Client("other");
        using var otherKey = other.GetECDsaPrivateKey()!;
        SoftwareIdentity(certificate.ExportCertificatePem(), otherKey.ExportPkcs8PrivateKeyPem());

        var message = await StartupErrorAsync();

        Assert.StartsWith("Gateway:OutboundIdentities:soft:File:KeyPath: the private key in ", message, StringComparison.Ordinal);
        Assert.EndsWith("does not match certificate 'CN=outbound, O=Tests'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_software_certificate_is_refused()
    {
        using var certificate = pki.Client("expired", profile => profile.Valid(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1)));
        using var key = certificate.GetECDsaPrivateKey()!;
        SoftwareIdentity(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());

        var message = await StartupErrorAsync();

        Assert.StartsWith("Gateway:OutboundIdentities:soft:File:CertificatePath: certificate 'CN=expired, O=Tests' expired at ", message, StringComparison.Ordinal);
    }

    private void TokenIdentity()
    {
        settings["Gateway:OutboundIdentities:card:Pkcs11:ModulePath"] = "/usr/lib/softhsm/libsofthsm2.so";
        settings["Gateway:OutboundIdentities:card:Pkcs11:TokenLabel"] = "card";
        settings["Gateway:OutboundIdentities:card:Pkcs11:KeyLabel"] = "key";
        settings["Gateway:OutboundIdentities:card:Pkcs11:PinFile"] = "secrets/card.pin";
        settings["ReverseProxy:Clusters:upstream:Metadata:OutboundIdentity"] = "card";
    }

    private void SoftwareIdentity(string certificatePem, string keyPem)
    {
        File.WriteAllText(Path.Combine(contentRoot, "outbound.crt"), certificatePem);
        File.WriteAllText(Path.Combine(contentRoot, "outbound.key"), keyPem);
        settings["Gateway:OutboundIdentities:soft:File:CertificatePath"] = "outbound.crt";
        settings["Gateway:OutboundIdentities:soft:File:KeyPath"] = "outbound.key";
        settings["ReverseProxy:Clusters:upstream:Metadata:OutboundIdentity"] = "soft";
    }

    // The line Program prints: what StartupErrors makes of whatever start-up threw.
    private async Task<string> StartupErrorAsync()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => OutboundGateway.BuildAsync(contentRoot, settings));
        return StartupErrors.Describe(error);
    }
}
