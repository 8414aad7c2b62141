using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using MtlsGateway.DevelopmentMode;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;

namespace MtlsGateway.IntegrationTests.Cli;

/// <summary>
/// <c>dev-pki</c> through the real executable: every file listed, private keys and the password-less PKCS#12 file
/// owner-only from creation, one line (no stack trace) for a file or an unwritable folder; and the Development
/// gateway forwarding the client's identity to its echo.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DevPkiCommandTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string root = Directory.CreateTempSubdirectory("mtlsgateway-devpki-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Lists_every_file_it_writes_and_keeps_every_private_key_owner_only()
    {
        // Non-ASCII in the folder name.
        var folder = Path.Combine(root, "pki-é€");
        var result = await GatewayProcess.RunAsync(root, "dev-pki", folder);
        Assert.True(result.ExitCode == 0, result.Output);

        var listed = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Trim().Split(' ')[0]).ToList();
        Assert.Equal(DevelopmentPki.Files, listed);
        Assert.Equal(
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            listed.Order(StringComparer.Ordinal));
        Assert.Equal(["ca.key", "client.key", "client.p12", "server.key"], DevelopmentPki.PrivateFiles.Order(StringComparer.Ordinal));
        foreach (var file in DevelopmentPki.PrivateFiles)
        {
            Assert.True(File.GetUnixFileMode(Path.Combine(folder, file)) == OwnerOnly, $"{file} is {File.GetUnixFileMode(Path.Combine(folder, file))}");
            Assert.Contains($"  {file} (private key, owner-only 0600)", result.StandardOutput, StringComparison.Ordinal);
        }

        // The PKCS#12 file opens with the empty password and holds the client's key.
        using var p12 = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(folder, "client.p12"), string.Empty);
        Assert.True(p12.HasPrivateKey);
    }

    [Fact]
    public async Task Force_over_files_others_could_read_leaves_them_owner_only()
    {
        var folder = Path.Combine(root, "pki");
        Assert.Equal(0, (await GatewayProcess.RunAsync(root, "dev-pki", folder)).ExitCode);
        foreach (var file in DevelopmentPki.PrivateFiles)
        {
            File.SetUnixFileMode(Path.Combine(folder, file), OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        var again = await GatewayProcess.RunAsync(root, "dev-pki", folder);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"dev-pki: {folder} already holds a PKI; use --force to replace it", again.StandardError.Trim());

        Assert.Equal(0, (await GatewayProcess.RunAsync(root, "dev-pki", folder, "--force")).ExitCode);
        foreach (var file in DevelopmentPki.PrivateFiles)
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(folder, file)));
        }
    }

    [Fact]
    public async Task An_existing_file_is_one_line()
    {
        var file = Path.Combine(root, "ca.crt");
        File.WriteAllText(file, "not a folder");
        var result = await GatewayProcess.RunAsync(root, "dev-pki", file);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"dev-pki: {file} is a file; name a folder to write the PKI into", result.StandardError.Trim());
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public async Task An_unwritable_folder_is_one_line()
    {
        // Root-owned and 0755 when the tests run as root (the command then runs as nobody); 0555 otherwise.
        var locked = Path.Combine(root, "locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(root, File.GetUnixFileMode(root) | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            var target = Path.Combine(locked, "pki");
            var result = await GatewayProcess.RunUnprivilegedAsync(Path.GetTempPath(), "dev-pki", target);
            Assert.True(result.ExitCode == 1, result.Output);
            var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"dev-pki: cannot write the PKI into {target}: ", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task The_development_route_forwards_the_client_identity_to_the_echo()
    {
        foreach (var settings in new[] { "appsettings.json", "appsettings.Development.json" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, settings), Path.Combine(root, settings));
        }

        var (process, address) = await GatewayProcess.StartAsync(
            root,
            new Dictionary<string, string?>(),
            "--environment", "Development", "--Kestrel:Endpoints:Gateway:Url=https://127.0.0.1:0", "--Gateway:Admin:Url=http://127.0.0.1:0");
        await using (process)
        {
            var pki = Path.Combine(root, "dev-pki");
            Assert.Contains("client.p12 (private key, owner-only 0600)", process.Output, StringComparison.Ordinal);
            using var server = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(pki, "server.crt"));
            using var client = X509Certificate2.CreateFromPemFile(Path.Combine(pki, "client.crt"), Path.Combine(pki, "client.key"));
            using var http = MutualTlsClient.Create(address, server, client);
            using var response = await http.GetAsync("/hello");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var echo = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var headers = echo["headers"]!.AsObject();
            var xfcc = (string?)headers.FirstOrDefault(header => string.Equals(header.Key, "X-Forwarded-Client-Cert", StringComparison.OrdinalIgnoreCase)).Value;
            Assert.True(xfcc is not null, headers.ToJsonString());
            Assert.Contains("CN=dev-client", xfcc, StringComparison.Ordinal);
        }
    }
}
