using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Benchmarks.Validation;

/// <summary>
/// What one client certificate costs the gateway: a full validation (chain build against the trust list, validity,
/// usage, CRL check of leaf and intermediate) against the cached-verdict path every later request takes.
/// Chain: ECDSA P-256 root → intermediate → leaf, the intermediate presented by the client.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private readonly ValidationEpoch epoch = new();
    private string folder = null!;
    private X509Certificate2 leaf = null!;
    private X509Certificate2[] presented = null!;
    private ClientCertificateValidator pathOnly = null!;
    private ClientCertificateValidator withCrls = null!;
    private VerdictCache cache = null!;
    private string cachedKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        folder = Directory.CreateTempSubdirectory("mtlsgw-bench-").FullName;
        var now = DateTimeOffset.UtcNow;
        using var root = TestCa.CreateRoot("CN=Bench Root");
        using var intermediate = root.CreateIntermediate("CN=Bench Issuing");
        leaf = intermediate.Issue("CN=bench-client");
        presented = [intermediate.PublicCertificate];

        var anchors = PemFiles.WriteCertificate(System.IO.Path.Combine(folder, "root.pem"), root.Certificate);
        var trust = TrustList.Load([anchors], [], now);
        var crls = new CrlSet([CertificateRevocationList.Parse(root.CreateCrl()), CertificateRevocationList.Parse(intermediate.CreateCrl())]);
        var policy = new PathValidationPolicy();
        pathOnly = new ClientCertificateValidator(() => trust, policy, [], epoch);
        withCrls = new ClientCertificateValidator(
            () => trust,
            policy,
            [new RevocationCheck(RevocationMode.Require, RevocationScope.Chain, [new CrlFileRevocationSource(() => crls, policy.ClockSkew)])],
            epoch);

        cache = new VerdictCache(10_000, TimeSpan.FromMinutes(5), epoch, TimeProvider.System);
        cachedKey = VerdictCache.KeyOf(leaf, presented);
        var verdict = withCrls.ValidateAsync(leaf, presented, now, default).AsTask().GetAwaiter().GetResult();
        if (!verdict.Accepted)
        {
            throw new InvalidOperationException("benchmark chain refused: " + verdict.Detail);
        }

        cache.Store(cachedKey, verdict);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        cache.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Description = "Full validation, chain only")]
    public async Task<bool> FullValidation() => (await pathOnly.ValidateAsync(leaf, presented, DateTimeOffset.UtcNow, default)).Accepted;

    [Benchmark(Description = "Full validation with CRL checks (leaf + intermediate)")]
    public async Task<bool> FullValidationWithCrls() => (await withCrls.ValidateAsync(leaf, presented, DateTimeOffset.UtcNow, default)).Accepted;

    [Benchmark(Description = "New connection, cached verdict (key + lookup)", Baseline = true)]
    public bool CachedVerdict() => cache.TryGet(VerdictCache.KeyOf(leaf, presented), out _);
}
