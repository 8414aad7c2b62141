using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
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
    private X509Certificate2 issuer = null!;
    private X509Certificate2 listedCertificate = null!;
    private X509Certificate2 unlistedCertificate = null!;
    private CrlSet crls = null!;
    private CrlStatusEvaluator evaluator = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuerRequest = new CertificateRequest("CN=Large CRL CA", key, HashAlgorithmName.SHA256);
        issuerRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        issuerRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        issuer = issuerRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var random = new Random(5280);
        var serials = new byte[EntryCount][];
        for (var i = 0; i < EntryCount; i++)
        {
            serials[i] = new byte[16];
            random.NextBytes(serials[i]);
            serials[i][0] = (byte)((serials[i][0] & 0x7F) | 0x01);
        }

        listedCertificate = Issue(key, serials[EntryCount / 2]);
        unlistedCertificate = Issue(key, [0x01, .. new byte[15]]);
        listedSerial = serials[EntryCount / 2];
        unlistedSerial = unlistedCertificate.SerialNumberBytes.ToArray();
        der = WriteSignedCrl(key, serials);

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
        listedCertificate?.Dispose();
        unlistedCertificate?.Dispose();
        GC.SuppressFinalize(this);
    }

    private X509Certificate2 Issue(ECDsa issuerKey, byte[] serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=client", key, HashAlgorithmName.SHA256);
        return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
    }

    private byte[] WriteSignedCrl(ECDsa key, byte[][] serials)
    {
        var generator = X509SignatureGenerator.CreateForECDsa(key);
        var algorithm = generator.GetSignatureAlgorithmIdentifier(HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        var tbs = new AsnWriter(AsnEncodingRules.DER, initialCapacity: 64 * EntryCount);
        using (tbs.PushSequence())
        {
            tbs.WriteInteger(1);
            tbs.WriteEncodedValue(algorithm);
            tbs.WriteEncodedValue(issuer.SubjectName.RawData);
            tbs.WriteUtcTime(now.AddHours(-1));
            tbs.WriteUtcTime(now.AddDays(7));
            using (tbs.PushSequence())
            {
                for (var i = 0; i < serials.Length; i++)
                {
                    using (tbs.PushSequence())
                    {
                        tbs.WriteInteger(serials[i]);
                        tbs.WriteUtcTime(now.AddDays(-1));
                        if (i % 10 == 0)
                        {
                            using (tbs.PushSequence())
                            using (tbs.PushSequence())
                            {
                                tbs.WriteObjectIdentifier("2.5.29.21");
                                var reason = new AsnWriter(AsnEncodingRules.DER);
                                reason.WriteEnumeratedValue(X509RevocationReason.KeyCompromise);
                                tbs.WriteOctetString(reason.Encode());
                            }
                        }
                    }
                }
            }
        }

        var toBeSigned = tbs.Encode();
        var signed = new AsnWriter(AsnEncodingRules.DER, initialCapacity: toBeSigned.Length + 256);
        using (signed.PushSequence())
        {
            signed.WriteEncodedValue(toBeSigned);
            signed.WriteEncodedValue(algorithm);
            signed.WriteBitString(generator.SignData(toBeSigned, HashAlgorithmName.SHA256));
        }

        return signed.Encode();
    }
}
