using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MtlsGateway.Pkcs11.Modules;
using MtlsGateway.Pkcs11.Tokens;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.TestSupport.SoftHsm2;

/// <summary>
/// The SoftHSM2 tokens of one test process. SoftHSM reads SOFTHSM2_CONF at the first C_Initialize of the process and
/// the module stays loaded (it is never finalized), so every PKCS#11 test of a process shares these tokens, made with
/// SoftHSM's and OpenSC's own tools before the module is first loaded (<see cref="Module"/>, through the gateway's
/// Pkcs11Module). Fails, never skips, when the packages are missing.
/// </summary>
public sealed class SoftHsm : IDisposable
{
    public const string ModulePath = SoftHsmStore.ModulePath;
    public const string UserPin = SoftHsmStore.UserPin;
    public const string SoPin = SoftHsmStore.SoPin;

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

    private readonly SoftHsmStore store = new();

    public SoftHsm()
    {
        SoftHsmStore.RequireInstalled("/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so", "libengine-pkcs11-openssl");
        NativeEnvironment.Set("SOFTHSM2_CONF", store.ConfigurationFile);
        foreach (var label in new[] { TlsToken, EnrollToken, EngineToken, PinToken, EngineFirstToken, ReinsertedToken })
        {
            store.InitToken(label);
        }

        Ca = TestCa.CreateRoot("CN=MtlsGateway Test Token CA");
        MakeTokenIdentity(TlsToken, TlsSubject);
        MakeTokenIdentity(TlsToken, RsaSubject, "rsa:2048", "02", RsaKeyLabel);
        MakeTokenIdentity(EngineToken, "CN=engine-only.test");
        MakeTokenIdentity(PinToken, "CN=wrong-pin.test");
        MakeTokenIdentity(EngineFirstToken, "CN=engine-first.test");
        MakeTokenIdentity(ReinsertedToken, "CN=reinserted.test");
        Module = Pkcs11Module.Load(ModulePath);
    }

    /// <summary>SoftHSM2 loaded through the gateway's own module loading, once the tokens exist.</summary>
    public Pkcs11Module Module { get; }

    /// <summary>The CA that issued the tokens' certificates; upstreams trust it for the gateway's client certificate.</summary>
    public TestCa Ca { get; }

    public string TempDirectory => store.Folder;

    public static byte[] PinBytes => Encoding.UTF8.GetBytes(UserPin);

    public ulong Slot(string label) => TokenFinder.Find(Module, TokenSelector.ByLabel(label)).SlotId;

    public TokenSession LoggedInSession(string label, bool readWrite = false) =>
        TokenSessions.OpenLoggedIn(Module, TokenSelector.ByLabel(label), PinBytes, readWrite);

    /// <summary>pkcs11-tool logged in to <paramref name="token"/> of this process's store (an independent tool).</summary>
    public string Pkcs11Tool(string token, params string[] arguments) => store.Pkcs11Tool(token, arguments);

    public string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(TempDirectory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        Ca.Dispose();
        store.Dispose();
    }

    // Key by pkcs11-tool, certificate by the test CA, written back with pkcs11-tool: no code under test involved.
    private void MakeTokenIdentity(string token, string subject, string keyType = "EC:prime256v1", string id = "01", string label = TlsKeyLabel)
    {
        store.Pkcs11Tool(token, "--keypairgen", "--key-type", keyType, "--id", id, "--label", label, "--usage-sign", "--sensitive", "--private");
        var publicKeyDer = Path.Combine(TempDirectory, $"{token}-{id}-pub.der");
        store.Pkcs11Tool(token, "--read-object", "--type", "pubkey", "--id", id, "--output-file", publicKeyDer);
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(File.ReadAllBytes(publicKeyDer), out _);
        using var certificate = Ca.Sign(new CertificateRequest(new X500DistinguishedName(subject), publicKey, HashAlgorithmName.SHA256));
        var certificateDer = WriteFile($"{token}-{id}-cert.der", certificate.RawData);
        store.Pkcs11Tool(token, "--write-object", certificateDer, "--type", "cert", "--id", id, "--label", label);
    }
}
