using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using MtlsGateway.Pkcs11.Engine;
using MtlsGateway.Pkcs11.Enrollment;
using MtlsGateway.Pkcs11.Modules;
using MtlsGateway.Pkcs11.Tokens;
using MtlsGateway.TestSupport.SoftHsm2;
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
    private const string ModulePath = SoftHsmStore.ModulePath;
    private static readonly byte[] Hash = SHA256.HashData("benchmark"u8);

    private SoftHsmStore store = null!;
    private TokenSession session = null!;
    private IObjectHandle privateKey = null!;
    private ECDsa engineKey = null!;
    private ECDsa softwareKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        store = new SoftHsmStore();
        NativeEnvironment.Set("SOFTHSM2_CONF", store.ConfigurationFile);
        store.InitToken("bench");

        var module = Pkcs11Module.Load(ModulePath);
        session = TokenSessions.OpenLoggedIn(module, TokenSelector.ByLabel("bench"), Encoding.UTF8.GetBytes(SoftHsmStore.UserPin), readWrite: true);
        TokenEnrollment.Enroll(session.Session, new X500DistinguishedName("CN=bench"), "bench", [0x01]);
        privateKey = TokenKeys.Find(session.Session, CKO.CKO_PRIVATE_KEY, "bench", []).Single();

        var engine = Pkcs11Engine.Open(ModulePath);
        engine.SetPin(Encoding.UTF8.GetBytes(SoftHsmStore.UserPin));
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
        store.Dispose();
    }
}
