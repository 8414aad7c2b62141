using System.Runtime.Versioning;
using MtlsGateway.Pkcs11.Modules;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.TestSupport.SoftHsm2;

namespace MtlsGateway.Tests.Pkcs11.Tokens;

/// <summary>
/// A second, independent SoftHSM2 instance (a copy of the module file, which the dynamic linker loads as a library of
/// its own) with its own token store: one healthy token holding a certificate, and one token broken on purpose after
/// the module started. Its token.object is overwritten, and SoftHSM2 then answers C_GetTokenInfo for that slot with
/// CKR_GENERAL_ERROR, as a failing reader or a corrupt card does. The OpenSSL engine never sees this instance (it is
/// pinned to the original module path), so the broken slot cannot disturb the other tests' TLS keys.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class BrokenSlotModule : IDisposable
{
    public const string HealthyToken = "gw-healthy";
    public const string BrokenToken = "gw-broken";

    private readonly SoftHsmStore store = new();

    public BrokenSlotModule()
    {
        ModulePath = Path.Combine(store.Folder, "libsofthsm2-copy.so");
        File.Copy(SoftHsm.ModulePath, ModulePath);
        store.InitToken(HealthyToken);
        using (var ca = TestCa.CreateRoot("CN=Healthy Token Certificate"))
        {
            var certificate = Path.Combine(store.Folder, "healthy.der");
            File.WriteAllBytes(certificate, ca.Certificate.RawData);
            store.Pkcs11Tool(HealthyToken, "--write-object", certificate, "--type", "cert", "--id", "0a", "--label", "healthy-cert");
        }

        var before = Directory.GetDirectories(store.TokenDirectory);
        store.InitToken(BrokenToken);
        var brokenTokenDirectory = Assert.Single(Directory.GetDirectories(store.TokenDirectory).Except(before));

        // SoftHSM2 reads SOFTHSM2_CONF at C_Initialize: point it here for the copy's first load only.
        var previous = Environment.GetEnvironmentVariable("SOFTHSM2_CONF")
            ?? throw new InvalidOperationException("the SoftHSM2 fixture sets SOFTHSM2_CONF first");
        try
        {
            NativeEnvironment.Set("SOFTHSM2_CONF", store.ConfigurationFile);
            Module = Pkcs11Module.Load(ModulePath);
        }
        finally
        {
            NativeEnvironment.Set("SOFTHSM2_CONF", previous);
        }

        File.WriteAllBytes(Path.Combine(brokenTokenDirectory, "token.object"), [0x01, 0x02, 0x03]);
    }

    public string ModulePath { get; }

    public Pkcs11Module Module { get; }

    public void Dispose() => store.Dispose();
}
