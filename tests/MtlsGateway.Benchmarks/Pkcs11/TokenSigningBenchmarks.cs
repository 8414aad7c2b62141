using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using MtlsGateway.Pkcs11.Engine;
using MtlsGateway.Pkcs11.Enrollment;
using MtlsGateway.Pkcs11.Modules;
using MtlsGateway.Pkcs11.Tokens;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Benchmarks.Pkcs11;

/// <summary>
/// ECDSA P-256 signatures of a SHA-256 hash: C_Sign through Pkcs11Interop (as the self-test and enrollment sign), the
/// OpenSSL engine key TLS uses, and a software key for reference. SoftHSM2 stands in for the card; a real card is orders of magnitude slower.
/// Run: dotnet run -c Release --project tests/MtlsGateway.Benchmarks -- --filter '*TokenSigning*'
/// </summary>
[SupportedOSPlatform("linux")]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class TokenSigningBenchmarks
{
    private const string ModulePath = "/usr/lib/softhsm/libsofthsm2.so";
    private const string Pin = "1234-bench";
    private static readonly byte[] Hash = SHA256.HashData("benchmark"u8);

    private string directory = "";
    private TokenSession session = null!;
    private IObjectHandle privateKey = null!;
    private ECDsa engineKey = null!;
    private ECDsa softwareKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        directory = Directory.CreateTempSubdirectory("mtlsgw-bench-").FullName;
        var config = Path.Combine(directory, "softhsm2.conf");
        File.WriteAllText(config, $"directories.tokendir = {Directory.CreateDirectory(Path.Combine(directory, "tokens")).FullName}\nobjectstore.backend = file\n");
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", config);
        _ = SetNativeEnvironment("SOFTHSM2_CONF", config, 1);
        using (var init = Process.Start("softhsm2-util", ["--init-token", "--free", "--label", "bench", "--pin", Pin, "--so-pin", Pin]))
        {
            init.WaitForExit();
        }

        var module = Pkcs11Module.Load(ModulePath);
        session = TokenSessions.OpenLoggedIn(module, TokenSelector.ByLabel("bench"), "1234-bench"u8, readWrite: true);
        TokenEnrollment.Enroll(session.Session, new X500DistinguishedName("CN=bench"), "bench", [0x01]);
        privateKey = TokenKeys.Find(session.Session, CKO.CKO_PRIVATE_KEY, "bench", []).Single();

        var engine = Pkcs11Engine.Open(ModulePath);
        engine.SetPin("1234-bench"u8);
        using var handle = engine.LoadPrivateKey(EngineKeyUri.ForPrivateKey(TokenFinder.Find(module, TokenSelector.ByLabel("bench")), [0x01]));
        engineKey = new ECDsaOpenSsl(handle);
        softwareKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    }

    [Benchmark]
    public byte[] TokenCSign() => TokenSigner.SignHashEcdsa(session.Session, privateKey, Hash);

    [Benchmark]
    public byte[] EngineKeySignHash() => engineKey.SignHash(Hash);

    [Benchmark(Baseline = true)]
    public byte[] SoftwareSignHash() => softwareKey.SignHash(Hash);

    [GlobalCleanup]
    public void Cleanup()
    {
        engineKey.Dispose();
        softwareKey.Dispose();
        session.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [DllImport("libc", EntryPoint = "setenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetNativeEnvironment(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
