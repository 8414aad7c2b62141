using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Pkcs11.Modules;
using MtlsGateway.Pkcs11.Tokens;

namespace MtlsGateway.Tests.Pkcs11;

/// <summary>
/// One private SoftHSM2 store per test run. SoftHSM reads SOFTHSM2_CONF at the first C_Initialize of the process and
/// the module stays loaded (it is never finalized), so every PKCS#11 test shares this fixture and its tokens, made
/// before the module is first loaded. Fails, never skips, when the packages are missing.
/// </summary>
public sealed class SoftHsm : IDisposable
{
    public const string ModulePath = "/usr/lib/softhsm/libsofthsm2.so";
    public const string UserPin = "4711-user-pin";
    public const string SoPin = "0815-so-pin";

    /// <summary>Made with pkcs11-tool (an independent tool), EC P-256 key id 01 plus an issued certificate.</summary>
    public const string TlsToken = "gw-tls";

    /// <summary>For enrollment and key generation through Pkcs11Interop.</summary>
    public const string EnrollToken = "gw-enroll";

    /// <summary>Only the engine ever logs in here (for the engine wrong-PIN test).</summary>
    public const string EngineToken = "gw-engine";

    /// <summary>
    /// Never logged in with the right PIN in this process: once a token is logged in, C_Login answers
    /// CKR_USER_ALREADY_LOGGED_IN whatever the PIN, so wrong-PIN tests need a token nobody logged into.
    /// </summary>
    public const string PinToken = "gw-pin";

    /// <summary>
    /// Logged in by the OpenSSL engine before any PKCS#11 session of this process logs in (engine-first order).
    /// No label here may start with another one: pkcs11-tool's --token-label matches prefixes.
    /// </summary>
    public const string EngineFirstToken = "gw-early-engine";

    /// <summary>For the one test that logs a token out under a running gateway, as a card pulled and put back is.</summary>
    public const string ReinsertedToken = "gw-reinserted";

    public const string TlsKeyLabel = "gateway-tls";
    public const string TlsSubject = "CN=gateway-outbound.test, O=MtlsGateway Tests";

    /// <summary>An RSA-2048 key (id 02) next to the EC one on the TLS token.</summary>
    public const string RsaKeyLabel = "gateway-tls-rsa";
    public const string RsaSubject = "CN=gateway-outbound-rsa.test, O=MtlsGateway Tests";

    private readonly string directory;

    public SoftHsm()
    {
        RequireInstalled(ModulePath, "softhsm2");
        RequireInstalled("/usr/bin/pkcs11-tool", "opensc");
        RequireInstalled("/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so", "libengine-pkcs11-openssl");

        directory = System.IO.Directory.CreateTempSubdirectory("mtlsgw-softhsm-").FullName;
        var tokens = System.IO.Directory.CreateDirectory(System.IO.Path.Combine(directory, "tokens")).FullName;
        var config = System.IO.Path.Combine(directory, "softhsm2.conf");
        File.WriteAllText(config, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n");
        SetEnvironment("SOFTHSM2_CONF", config);

        foreach (var label in new[] { TlsToken, EnrollToken, EngineToken, PinToken, EngineFirstToken, ReinsertedToken })
        {
            Run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", UserPin, "--so-pin", SoPin);
        }

        Ca = TestCertificateAuthority.Create("CN=MtlsGateway Test Token CA");
        PrepareTlsToken();
        MakeTokenIdentity(EngineToken, "CN=engine-only.test");
        MakeTokenIdentity(PinToken, "CN=wrong-pin.test");
        MakeTokenIdentity(EngineFirstToken, "CN=engine-first.test");
        MakeTokenIdentity(ReinsertedToken, "CN=reinserted.test");
        Module = Pkcs11Module.Load(ModulePath);
    }

    public Pkcs11Module Module { get; }

    public TestCertificateAuthority Ca { get; }

    public string TempDirectory => directory;

    public static byte[] PinBytes => System.Text.Encoding.UTF8.GetBytes(UserPin);

    public ulong Slot(string label) => TokenFinder.Find(Module, TokenSelector.ByLabel(label)).SlotId;

    public TokenSession LoggedInSession(string label, bool readWrite = false) =>
        TokenSessions.OpenLoggedIn(Module, TokenSelector.ByLabel(label), PinBytes, readWrite);

    public string WriteFile(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        Ca.Dispose();
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // the module may still hold token files open; the temp folder is cleaned by the OS
        }
    }

    public static string Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}");
        }

        return output.Result;
    }

    private void PrepareTlsToken()
    {
        MakeTokenIdentity(TlsToken, TlsSubject);
        MakeTokenIdentity(TlsToken, RsaSubject, "rsa:2048", "02", RsaKeyLabel);
    }

    // Key by pkcs11-tool, certificate by the test CA, written back with pkcs11-tool: no code under test involved.
    private void MakeTokenIdentity(string token, string subject, string keyType = "EC:prime256v1", string id = "01", string label = TlsKeyLabel)
    {
        Run("pkcs11-tool", "--module", ModulePath, "--token-label", token, "--login", "--pin", UserPin,
            "--keypairgen", "--key-type", keyType, "--id", id, "--label", label, "--usage-sign", "--sensitive", "--private");
        var publicKeyDer = System.IO.Path.Combine(directory, $"{token}-{id}-pub.der");
        Run("pkcs11-tool", "--module", ModulePath, "--token-label", token, "--login", "--pin", UserPin,
            "--read-object", "--type", "pubkey", "--id", id, "--output-file", publicKeyDer);
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(File.ReadAllBytes(publicKeyDer), out _);
        using var certificate = Ca.IssueClientCertificate(new CertificateRequest(new X500DistinguishedName(subject), publicKey, HashAlgorithmName.SHA256));
        var certificateDer = WriteFile($"{token}-{id}-cert.der", certificate.RawData);
        Run("pkcs11-tool", "--module", ModulePath, "--token-label", token, "--login", "--pin", UserPin,
            "--write-object", certificateDer, "--type", "cert", "--id", id, "--label", label);
    }

    /// <summary>Sets a variable for native code too: .NET keeps its own copy of the environment on Unix.</summary>
    public static void SetEnvironment(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (SetNativeEnvironment(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed");
        }
    }

    private static void RequireInstalled(string path, string package)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: install the Debian package {package} (tests/prerequisites.sh installs every test prerequisite)");
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetNativeEnvironment(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}

[CollectionDefinition(Name)]
public sealed class SoftHsmGroup : ICollectionFixture<SoftHsm>
{
    public const string Name = "SoftHSM2";
}
