using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Benchmarks.Validation;

/// <summary>
/// What one client certificate costs the gateway: a full validation (chain build against the trust list, validity,
/// crypto minimums, policy processing, usage, CRL check of leaf and intermediate) against the cached-verdict path every
/// later request takes.
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
    private ClientCertificateValidator withPolicies = null!;
    private X509Certificate2 policyLeaf = null!;
    private X509Certificate2[] policyPresented = null!;
    private byte[][] policyPathDer = null!;
    private VerdictCache cache = null!;
    private string cachedKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        folder = Directory.CreateTempSubdirectory("mtlsgw-bench-").FullName;
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Ca("CN=Bench Root", rootKey).CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediatePublic = Ca("CN=Bench Issuing", intermediateKey).Create(root, now.AddDays(-1), now.AddYears(4), [1, 2]);
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=bench-client", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        leaf = leafRequest.Create(intermediate, now.AddDays(-1), now.AddYears(1), [3, 4]);
        presented = [X509CertificateLoader.LoadCertificate(intermediate.RawData)];

        var anchors = System.IO.Path.Combine(folder, "root.pem");
        File.WriteAllText(anchors, root.ExportCertificatePem());
        var trust = TrustList.Load([anchors], [], now);
        var crls = new CrlSet([
            CertificateRevocationList.Parse(new CertificateRevocationListBuilder().Build(root, 1, now.AddDays(7), HashAlgorithmName.SHA256, null, now.AddHours(-1))),
            CertificateRevocationList.Parse(new CertificateRevocationListBuilder().Build(intermediate, 1, now.AddDays(7), HashAlgorithmName.SHA256, null, now.AddHours(-1))),
        ]);
        var policy = new PathValidationPolicy();
        pathOnly = new ClientCertificateValidator(() => trust, policy, [], epoch);
        withCrls = new ClientCertificateValidator(
            () => trust,
            policy,
            [new RevocationCheck(RevocationMode.Require, RevocationScope.Chain, [new CrlFileRevocationSource(() => crls, policy.ClockSkew)])],
            epoch);

        // The same shape with certificatePolicies on intermediate and leaf, and an explicit acceptable policy.
        const string Policy = "2.16.840.1.101.3.2.1.48.1";
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Policy);
        }

        var policies = new X509Extension("2.5.29.32", writer.Encode(), false);
        using var policyIntermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var policyIntermediateRequest = Ca("CN=Bench Policy Issuing", policyIntermediateKey);
        policyIntermediateRequest.CertificateExtensions.Add(policies);
        using var policyIntermediatePublic = policyIntermediateRequest.Create(root, now.AddDays(-1), now.AddYears(4), [5, 6]);
        using var policyIntermediate = policyIntermediatePublic.CopyWithPrivateKey(policyIntermediateKey);
        using var policyLeafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var policyLeafRequest = new CertificateRequest("CN=bench-policy-client", policyLeafKey, HashAlgorithmName.SHA256);
        policyLeafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        policyLeafRequest.CertificateExtensions.Add(policies);
        policyLeaf = policyLeafRequest.Create(policyIntermediate, now.AddDays(-1), now.AddYears(1), [7, 8]);
        policyPresented = [X509CertificateLoader.LoadCertificate(policyIntermediate.RawData)];
        withPolicies = new ClientCertificateValidator(() => trust, policy with { AcceptablePolicies = [Policy], RequireExplicitPolicy = true }, [], epoch);
        if (!withPolicies.ValidateAsync(policyLeaf, policyPresented, now, default).AsTask().GetAwaiter().GetResult().Accepted)
        {
            throw new InvalidOperationException("benchmark policy chain refused");
        }

        policyPathDer = [policyLeaf.RawData, policyIntermediate.RawData, root.RawData];

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

    [Benchmark(Description = "Full validation, chain only, with certificate policies (explicit policy required)")]
    public async Task<bool> FullValidationWithPolicies() => (await withPolicies.ValidateAsync(policyLeaf, policyPresented, DateTimeOffset.UtcNow, default)).Accepted;

    /// <summary>The certificate objects a validation loads for its path (the baseline of the next one).</summary>
    [Benchmark(Description = "Load a 3-certificate path")]
    public int LoadPath() => policyPathDer.Select(X509CertificateLoader.LoadCertificate).Sum(certificate => certificate.RawDataMemory.Length);

    /// <summary>What this validator adds to X509Chain, on freshly loaded certificates as in a real validation.</summary>
    [Benchmark(Description = "Load a 3-certificate path + crypto minimums + policy processing")]
    public bool AddedPathChecks()
    {
        X509Certificate2[] path = [.. policyPathDer.Select(X509CertificateLoader.LoadCertificate)];
        return MtlsGateway.Validation.Crypto.CryptoMinimums.Default.PathProblem(path) is null
            && MtlsGateway.Validation.Policies.PolicyProcessing.Run(path, ["2.16.840.1.101.3.2.1.48.1"], true, false, false).Passed;
    }

    [Benchmark(Description = "New connection, cached verdict (key + lookup)", Baseline = true)]
    public bool CachedVerdict() => cache.TryGet(VerdictCache.KeyOf(leaf, presented), out _);

    private static CertificateRequest Ca(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }
}
