using MtlsGateway.TestSupport.Processes;

namespace MtlsGateway.TestSupport.SoftHsm2;

/// <summary>
/// A private SoftHSM2 token store: its own configuration file and token folder, so tests never touch the machine's
/// tokens. The tools run against it with SOFTHSM2_CONF set for them alone.
/// </summary>
public sealed class SoftHsmStore : IDisposable
{
    public const string ModulePath = "/usr/lib/softhsm/libsofthsm2.so";
    public const string UserPin = "4711-user-pin";
    public const string SoPin = "0815-so-pin";

    private readonly Files.TempFolder folder = new("mtlsgw-softhsm-");

    public SoftHsmStore()
    {
        RequireInstalled(ModulePath, "softhsm2");
        RequireInstalled("/usr/bin/pkcs11-tool", "opensc");
        TokenDirectory = folder.CreateFolder("tokens");
        ConfigurationFile = folder.Write("softhsm2.conf", $"directories.tokendir = {TokenDirectory}\nobjectstore.backend = file\nlog.level = ERROR\n");
    }

    public string Folder => folder.Path;

    public string TokenDirectory { get; }

    public string ConfigurationFile { get; }

    /// <summary>What a child process (the gateway executable) needs to see this store.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?> { ["SOFTHSM2_CONF"] = ConfigurationFile };

    public void InitToken(string label) =>
        Run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", UserPin, "--so-pin", SoPin);

    /// <summary>pkcs11-tool on this store's module, logged in to <paramref name="token"/>.</summary>
    public string Pkcs11Tool(string token, params string[] arguments) =>
        Run("pkcs11-tool", ["--module", ModulePath, "--token-label", token, "--login", "--pin", UserPin, .. arguments]);

    public string Run(string tool, params string[] arguments) =>
        ProcessRunner.Run(tool, arguments, new ProcessOptions { Environment = Environment }).EnsureSuccess().StandardOutput;

    public void Dispose() => folder.Dispose();

    public static void RequireInstalled(string path, string package)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: install the Debian package {package} (tests/prerequisites.sh installs every test prerequisite)");
        }
    }
}
