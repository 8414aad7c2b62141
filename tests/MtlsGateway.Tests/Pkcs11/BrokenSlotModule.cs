using System.Runtime.Versioning;
using MtlsGateway.Pkcs11.Modules;

namespace MtlsGateway.Tests.Pkcs11;

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

    private readonly string directory;

    public BrokenSlotModule()
    {
        directory = Directory.CreateTempSubdirectory("mtlsgw-broken-slot-").FullName;
        var tokens = Directory.CreateDirectory(Path.Combine(directory, "tokens")).FullName;
        var config = Path.Combine(directory, "softhsm2.conf");
        File.WriteAllText(config, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n");
        ModulePath = Path.Combine(directory, "libsofthsm2-copy.so");
        File.Copy(SoftHsm.ModulePath, ModulePath);

        // SoftHSM2 reads SOFTHSM2_CONF at C_Initialize: point it here for the tools and the copy's first load only.
        var previous = Environment.GetEnvironmentVariable("SOFTHSM2_CONF")
            ?? throw new InvalidOperationException("the SoftHSM2 fixture sets SOFTHSM2_CONF first");
        string brokenTokenDirectory;
        try
        {
            SoftHsm.SetEnvironment("SOFTHSM2_CONF", config);
            SoftHsm.Run("softhsm2-util", "--init-token", "--free", "--label", HealthyToken, "--pin", SoftHsm.UserPin, "--so-pin", SoftHsm.SoPin);
            var certificate = Path.Combine(directory, "healthy.der");
            using (var ca = TestCertificateAuthority.Create("CN=Healthy Token Certificate"))
            {
                File.WriteAllBytes(certificate, ca.Certificate.RawData);
            }

            SoftHsm.Run("pkcs11-tool", "--module", SoftHsm.ModulePath, "--token-label", HealthyToken, "--login", "--pin", SoftHsm.UserPin,
                "--write-object", certificate, "--type", "cert", "--id", "0a", "--label", "healthy-cert");
            var before = Directory.GetDirectories(tokens);
            SoftHsm.Run("softhsm2-util", "--init-token", "--free", "--label", BrokenToken, "--pin", SoftHsm.UserPin, "--so-pin", SoftHsm.SoPin);
            brokenTokenDirectory = Assert.Single(Directory.GetDirectories(tokens).Except(before));
            Module = Pkcs11Module.Load(ModulePath);
        }
        finally
        {
            SoftHsm.SetEnvironment("SOFTHSM2_CONF", previous);
        }

        File.WriteAllBytes(Path.Combine(brokenTokenDirectory, "token.object"), [0x01, 0x02, 0x03]);
    }

    public string ModulePath { get; }

    public Pkcs11Module Module { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // the module copy stays loaded for the process; the temp folder is cleaned by the OS
        }
    }
}
