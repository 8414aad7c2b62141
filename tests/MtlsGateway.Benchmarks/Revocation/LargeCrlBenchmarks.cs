using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;

namespace MtlsGateway.Benchmarks.Revocation;

/// <summary>
/// A signed CRL of one million entries (16-octet serials, every tenth with a reason code): loading it, looking serials
/// up, and the whole crl-file answer for a certificate as the request path sees it (signature already verified once).
/// </summary>
[MemoryDiagnoser]
public class LargeCrlBenchmarks : IDisposable
{
    private const int EntryCount = 1_000_000;

    private byte[] der = [];
    private CertificateRevocationList crl = null!;
    private byte[] listedSerial = [];
    private byte[] unlistedSerial = [];
    private TestCa ca = null!;
    private X509Certificate2 issuer = null!;
    private X509Certificate2 listedCertificate = null!;
    private X509Certificate2 unlistedCertificate = null!;
    private CrlSet crls = null!;
    private CrlStatusEvaluator evaluator = null!;

    [GlobalSetup]
    public void Setup()
    {
        ca = TestCa.CreateRoot("CN=Large CRL CA");
        issuer = ca.PublicCertificate;
        var random = new Random(5280);
        var serials = new byte[EntryCount][];
        for (var i = 0; i < EntryCount; i++)
        {
            serials[i] = new byte[16];
            random.NextBytes(serials[i]);
            serials[i][0] = (byte)((serials[i][0] & 0x7F) | 0x01);
        }

        listedCertificate = ca.Issue("CN=client", profile => profile.Serial = serials[EntryCount / 2]);
        unlistedCertificate = ca.Issue("CN=client", profile => profile.Serial = [0x01, .. new byte[15]]);
        listedSerial = serials[EntryCount / 2];
        unlistedSerial = unlistedCertificate.SerialNumberBytes.ToArray();
        der = ca.CreateCrl(profile =>
        {
            profile.NextUpdate = DateTimeOffset.UtcNow.AddDays(7);
            for (var i = 0; i < serials.Length; i++)
            {
                profile.Revoke(serials[i], i % 10 == 0 ? X509RevocationReason.KeyCompromise : null, DateTimeOffset.UtcNow.AddDays(-1));
            }
        });

        var before = GC.GetTotalMemory(forceFullCollection: true);
        crl = CertificateRevocationList.Parse(der);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// CRL DER size: {der.Length / 1048576.0:F1} MiB; index and entry offsets retained after parse: {(after - before) / 1048576.0:F1} MiB (the DER is held as well)");

        crls = new CrlSet([crl]);
        evaluator = new CrlStatusEvaluator(TimeSpan.FromMinutes(5));
    }

    [Benchmark]
    public CertificateRevocationList ParseAndIndex() => CertificateRevocationList.Parse(der);

    [Benchmark]
    public bool LookupListedSerial() => crl.TryFind(listedSerial, out _);

    [Benchmark]
    public bool LookupUnlistedSerial() => crl.TryFind(unlistedSerial, out _);

    [Benchmark]
    public RevocationState StatusOfRevokedCertificate() =>
        evaluator.Evaluate("crl-file", crls, new CertificatePath([listedCertificate, issuer]), 0, DateTimeOffset.UtcNow).State;

    [Benchmark]
    public RevocationState StatusOfGoodCertificate() =>
        evaluator.Evaluate("crl-file", crls, new CertificatePath([unlistedCertificate, issuer]), 0, DateTimeOffset.UtcNow).State;

    public void Dispose()
    {
        issuer?.Dispose();
        ca?.Dispose();
        listedCertificate?.Dispose();
        unlistedCertificate?.Dispose();
        GC.SuppressFinalize(this);
    }
}
