using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.IntegrationTests.Tls;

/// <summary>
/// A server certificate that cannot serve stops the real executable with one line naming the setting
/// (<c>Kestrel:Endpoints:&lt;name&gt;:Certificate</c> or <c>Kestrel:Certificates:Default</c>) and the files, never an
/// exception from inside Kestrel; the same files set up correctly start (each refusal has its working counterpart).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ServerCertificateConfigurationTests : IDisposable
{
    private const string EndpointKey = "Kestrel:Endpoints:Gateway:Certificate";
    private readonly TestPki pki = new();
    private readonly string contentRoot;

    public ServerCertificateConfigurationTests() => contentRoot = TestGateway.WriteContentRoot(pki);

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(contentRoot, recursive: true);
    }

    [Fact]
    public async Task A_key_that_does_not_belong_to_the_certificate_names_the_endpoint_and_both_files()
    {
        using var other = pki.Root.Issue("CN=other", profile => profile.LoopbackServer());
        PemFiles.WritePrivateKey(Path.Combine(contentRoot, "other.key"), other);
        var error = await StartupErrorAsync(certificate => certificate["KeyPath"] = "other.key");
        Assert.Equal($"MtlsGateway: cannot start: {EndpointKey}: the private key in {File("other.key")} does not belong to the certificate in {File("server.crt")} ('CN=localhost')", error);
    }

    [Fact]
    public async Task A_key_of_another_algorithm_is_named_as_such()
    {
        using var rsa = pki.Root.Issue("CN=rsa", profile => { profile.LoopbackServer(); profile.Key = KeySpec.Rsa(2048); });
        PemFiles.WritePrivateKey(Path.Combine(contentRoot, "rsa.key"), rsa);
        var error = await StartupErrorAsync(certificate => certificate["KeyPath"] = "rsa.key");
        Assert.Equal($"MtlsGateway: cannot start: {EndpointKey}: the private key in {File("rsa.key")} (RSA) does not belong to the certificate in {File("server.crt")} ('CN=localhost', EC)", error);
    }

    [Fact]
    public async Task The_default_certificate_is_named_by_its_own_key()
    {
        using var other = pki.Root.Issue("CN=other", profile => profile.LoopbackServer());
        PemFiles.WritePrivateKey(Path.Combine(contentRoot, "other.key"), other);
        var error = await StartupErrorAsync(_ => { }, settings =>
        {
            settings["Kestrel"]!["Endpoints"]!["Gateway"]!.AsObject().Remove("Certificate");
            settings["Kestrel"]!["Certificates"] = JsonNode.Parse("""{ "Default": { "Path": "server.crt", "KeyPath": "other.key" } }""");
        });
        Assert.Equal($"MtlsGateway: cannot start: Kestrel:Certificates:Default: the private key in {File("other.key")} does not belong to the certificate in {File("server.crt")} ('CN=localhost')", error);
    }

    [Fact]
    public async Task An_encrypted_key_needs_its_password_and_starts_with_the_right_one()
    {
        using (var key = pki.Server.GetECDsaPrivateKey()!)
        {
            System.IO.File.WriteAllText(File("encrypted.key"), key.ExportEncryptedPkcs8PrivateKeyPem("s3cret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000)));
        }

        Assert.Equal(
            $"MtlsGateway: cannot start: {EndpointKey}:KeyPath: {File("encrypted.key")} is encrypted and {EndpointKey}:Password is not set",
            await StartupErrorAsync(certificate => certificate["KeyPath"] = "encrypted.key"));
        Assert.Equal(
            $"MtlsGateway: cannot start: {EndpointKey}:Password: does not decrypt {File("encrypted.key")}",
            await StartupErrorAsync(certificate => { certificate["KeyPath"] = "encrypted.key"; certificate["Password"] = "wrong"; }));
        await StartsAsync(certificate => { certificate["KeyPath"] = "encrypted.key"; certificate["Password"] = "s3cret"; });
    }

    [Fact]
    public async Task A_pkcs12_file_needs_its_password_and_starts_with_the_right_one()
    {
        System.IO.File.WriteAllBytes(File("server.p12"), pki.Server.Export(X509ContentType.Pkcs12, "p12-pass"));
        Assert.Equal(
            $"MtlsGateway: cannot start: {EndpointKey}:Password: does not open {File("server.p12")}",
            await StartupErrorAsync(certificate => { certificate["Path"] = "server.p12"; certificate.Remove("KeyPath"); certificate["Password"] = "wrong"; }));
        Assert.Equal(
            $"MtlsGateway: cannot start: {EndpointKey}:Password: not set, and {File("server.p12")} does not open without one",
            await StartupErrorAsync(certificate => { certificate["Path"] = "server.p12"; certificate.Remove("KeyPath"); }));
        await StartsAsync(certificate => { certificate["Path"] = "server.p12"; certificate.Remove("KeyPath"); certificate["Password"] = "p12-pass"; });
    }

    [Fact]
    public async Task An_unreadable_key_file_is_named()
    {
        // The gateway runs as an unprivileged user here (as in the image), for which a 0600 file of root is unreadable.
        GatewaySettings.Write(contentRoot, Settings(_ => { }));
        MakeReadableByOthers(contentRoot);
        System.IO.File.SetUnixFileMode(File("server.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (!Environment.IsPrivilegedProcess)
        {
            System.IO.File.SetUnixFileMode(File("server.key"), UnixFileMode.None);
        }

        var error = GatewayProcess.OneLineError(await GatewayProcess.RunUnprivilegedAsync(contentRoot));
        Assert.StartsWith($"MtlsGateway: cannot start: {EndpointKey}:KeyPath: {File("server.key")}: cannot be read: permission denied", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_certificate_stops_start_up_and_one_not_valid_yet_starts_with_a_warning()
    {
        using var expired = pki.Root.Issue("CN=expired", profile => { profile.LoopbackServer(); profile.Valid(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1)); });
        PemFiles.WriteCertificate(File("expired.crt"), expired);
        PemFiles.WritePrivateKey(File("expired.key"), expired);
        var error = await StartupErrorAsync(certificate => { certificate["Path"] = "expired.crt"; certificate["KeyPath"] = "expired.key"; });
        Assert.StartsWith($"MtlsGateway: cannot start: {EndpointKey}: the certificate in {File("expired.crt")} ('CN=expired') expired at ", error, StringComparison.Ordinal);
        Assert.EndsWith("; every client would refuse it", error, StringComparison.Ordinal);

        using var later = pki.Root.Issue("CN=later", profile => { profile.LoopbackServer(); profile.Valid(DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(30)); });
        PemFiles.WriteCertificate(File("later.crt"), later);
        PemFiles.WritePrivateKey(File("later.key"), later);
        var output = await StartsAsync(certificate => { certificate["Path"] = "later.crt"; certificate["KeyPath"] = "later.key"; });
        Assert.Contains($"warn MtlsGateway.Tls.KestrelTlsOptionsValidator: {EndpointKey}: the certificate in {File("later.crt")} ('CN=later') is not valid before ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_without_server_authentication_is_refused()
    {
        using var client = pki.Client("client-only");
        PemFiles.WriteCertificate(File("client.crt"), client);
        PemFiles.WritePrivateKey(File("client.key"), client);
        var error = await StartupErrorAsync(certificate => { certificate["Path"] = "client.crt"; certificate["KeyPath"] = "client.key"; });
        Assert.StartsWith($"MtlsGateway: cannot start: {EndpointKey}: the certificate in {File("client.crt")} ('CN=client-only, O=Tests') is not for TLS servers: its extendedKeyUsage is ", error, StringComparison.Ordinal);
        Assert.EndsWith(", without serverAuth", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_endpoint_at_all_is_refused_rather_than_listening_on_plain_http()
    {
        var error = await StartupErrorAsync(_ => { }, settings => settings.AsObject().Remove("Kestrel"));
        Assert.StartsWith("MtlsGateway: cannot start: Kestrel:Endpoints: no endpoint is configured", error, StringComparison.Ordinal);
    }

    private string File(string name) => Path.Combine(contentRoot, name);

    private static JsonObject Settings(Action<JsonObject> editCertificate, Action<JsonNode>? edit = null)
    {
        var settings = GatewaySettings.Create(new Uri("http://127.0.0.1:9/"));
        editCertificate(settings["Kestrel"]!["Endpoints"]!["Gateway"]!["Certificate"]!.AsObject());
        edit?.Invoke(settings);
        return settings;
    }

    [Theory]
    [InlineData("NoCertificate")]
    [InlineData("DelayCertificate")]
    [InlineData("RequireCertificate")]
    public async Task A_host_name_that_would_not_be_asked_for_a_certificate_stops_start_up(string mode)
    {
        // Look-alike casing of the host name and of the key: both are matched case-insensitively by Kestrel.
        var error = await StartupErrorAsync(_ => { }, settings =>
            settings["Kestrel"]!["Endpoints"]!["Gateway"]!["SNI"] = JsonNode.Parse($$"""{ "Pay.Example.COM": { "clientCertificateMode": "{{mode}}" } }"""));
        Assert.Equal(
            $"MtlsGateway: cannot start: Kestrel:Endpoints:Gateway:Sni:Pay.Example.COM:ClientCertificateMode: {mode} is not applied per host name; the gateway asks every client for a certificate and answers one without it 403 certificate-required (remove the setting)",
            error);
    }

    [Fact]
    public async Task A_host_name_offering_an_old_protocol_stops_start_up()
    {
        var error = await StartupErrorAsync(_ => { }, settings =>
            settings["Kestrel"]!["Endpoints"]!["Gateway"]!["Sni"] = JsonNode.Parse("""{ "*.example.com": { "SslProtocols": [ "Tls13", "Tls11" ] } }"""));
        Assert.Equal(
            "MtlsGateway: cannot start: Kestrel:Endpoints:Gateway:Sni:*.example.com:SslProtocols: Tls11 is not offered; the gateway runs TLS 1.2 and 1.3 only (Tls12, Tls13)",
            error);
    }

    [Fact]
    public async Task A_host_name_certificate_is_checked_like_the_endpoint_s()
    {
        using var other = pki.Root.Issue("CN=other", profile => profile.LoopbackServer());
        PemFiles.WritePrivateKey(Path.Combine(contentRoot, "other.key"), other);
        var error = await StartupErrorAsync(_ => { }, settings =>
            settings["Kestrel"]!["Endpoints"]!["Gateway"]!["Sni"] = JsonNode.Parse("""{ "pay.example.com": { "Certificate": { "Path": "server.crt", "KeyPath": "other.key" } } }"""));
        Assert.Equal($"MtlsGateway: cannot start: Kestrel:Endpoints:Gateway:Sni:pay.example.com:Certificate: the private key in {File("other.key")} does not belong to the certificate in {File("server.crt")} ('CN=localhost')", error);
    }

    [Fact]
    public async Task A_host_name_with_allowed_settings_still_gets_mutual_tls()
    {
        GatewaySettings.Write(contentRoot, Settings(_ => { }, settings =>
            settings["Kestrel"]!["Endpoints"]!["Gateway"]!["Sni"] = JsonNode.Parse("""{ "localhost": { "ClientCertificateMode": "AllowCertificate", "SslProtocols": [ "Tls13" ] } }""")));
        var (gateway, address) = await GatewayProcess.StartAsync(contentRoot, new Dictionary<string, string?>());
        await using (gateway)
        {
            var anonymous = await TestSupport.Processes.ProcessRunner.RunAsync("curl", [
                "--silent", "--cacert", Path.Combine(contentRoot, "trust", "root.pem"), "--resolve", $"localhost:{address.Port}:127.0.0.1",
                "--write-out", "\n%{http_code}", $"https://localhost:{address.Port}/sni"]);
            Assert.EndsWith("\n403", anonymous.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("certificate-required", anonymous.StandardOutput, StringComparison.Ordinal);
        }
    }

    private async Task<string> StartupErrorAsync(Action<JsonObject> editCertificate, Action<JsonNode>? edit = null)
    {
        GatewaySettings.Write(contentRoot, Settings(editCertificate, edit));
        return await GatewayProcess.StartupErrorAsync(contentRoot);
    }

    /// <summary>Starts the gateway with these settings until it listens; returns what it printed.</summary>
    private async Task<string> StartsAsync(Action<JsonObject> editCertificate)
    {
        GatewaySettings.Write(contentRoot, Settings(editCertificate));
        var (gateway, _) = await GatewayProcess.StartAsync(contentRoot, new Dictionary<string, string?>());
        await using (gateway)
        {
            return gateway.Output;
        }
    }

    private static void MakeReadableByOthers(string folder)
    {
        const UnixFileMode Read = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        System.IO.File.SetUnixFileMode(folder, Read | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
        {
            System.IO.File.SetUnixFileMode(entry, Directory.Exists(entry) ? Read | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : Read);
        }
    }
}
