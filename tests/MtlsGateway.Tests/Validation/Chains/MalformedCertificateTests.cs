using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Identity;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;
using Xunit.Abstractions;

namespace MtlsGateway.Tests.Validation.Chains;

/// <summary>
/// The malformed-certificate corpus through the validator: every certificate either does not load at all (a clear
/// source error), or gets a verdict. Nothing throws, and what an accepted certificate's identity is made of can be read.
/// </summary>
public sealed class MalformedCertificateTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestCa root = TestCa.CreateRoot("CN=Corpus Root");
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string folder = Directory.CreateTempSubdirectory("corpus-").FullName;
    private readonly ITestOutputHelper output;

    public MalformedCertificateTests(ITestOutputHelper output) => this.output = output;

    public void Dispose()
    {
        key.Dispose();
        root.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Every_corpus_certificate_either_fails_to_load_or_gets_a_verdict_never_an_exception()
    {
        var corpus = new MalformedCertificates(root.Certificate, key);
        var validator = Validator();
        var outcomes = new List<string>();
        foreach (var (name, der) in corpus.All())
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadCertificate(der);
            }
            catch (CryptographicException)
            {
                // What the gateway reads from files says so as one source error.
                Assert.Throws<CertificateSourceException>(() => CertificateFiles.Parse(der, name));
                outcomes.Add($"{name}: does not load");
                continue;
            }

            var verdict = await validator.ValidateAsync(certificate, [], Now, default);
            outcomes.Add($"{name}: {(verdict.Accepted ? "accepted" : verdict.Refusal!.Value.ToCode() + ": " + verdict.Detail)}");

            // Whatever the verdict, what the gateway logs about the certificate can be read.
            Assert.NotNull(CertificateFields.Subject(certificate));
            Assert.NotNull(CertificateFields.Issuer(certificate));
            Assert.NotNull(CertificateFields.SerialNumber(certificate));
            if (verdict.Accepted)
            {
                // Authorization, XFCC and RFC 9440 read the identity of accepted certificates only.
                var identity = new CertificateIdentity(certificate);
                Assert.NotNull(identity.Subject);
                Assert.Null(CertificateFields.Unreadable(certificate));
            }
        }

        output.WriteLine(string.Join('\n', outcomes));
        Assert.Contains(outcomes, outcome => outcome.EndsWith(": does not load", StringComparison.Ordinal));
        Assert.Contains(outcomes, outcome => outcome.Contains(": accepted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_baseline_of_the_corpus_is_accepted()
    {
        var corpus = new MalformedCertificates(root.Certificate, key);
        var verdict = await Validator().ValidateAsync(X509CertificateLoader.LoadCertificate(corpus.Baseline()), [], Now, default);
        Assert.True(verdict.Accepted, verdict.Detail);
    }

    [Fact]
    public async Task A_notBefore_in_year_0_is_untrusted_naming_the_field_not_an_exception()
    {
        // The attack on main: X509Certificate2.NotBefore throws, and the gateway answered 500.
        var corpus = new MalformedCertificates(root.Certificate, key);
        var (_, der) = corpus.All().Single(c => c.Name == "notBefore year 0 (GeneralizedTime)");
        var certificate = X509CertificateLoader.LoadCertificate(der);
        Assert.ThrowsAny<CryptographicException>(() => certificate.NotBefore);

        var verdict = await Validator().ValidateAsync(certificate, [], Now, default);

        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains("notBefore 00000101000000Z cannot be read", verdict.Detail, StringComparison.Ordinal);
        Assert.Contains("CN=corpus client", verdict.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("duplicate subjectAltName", "extension 2.5.29.17 (subjectAltName) appears more than once")]
    [InlineData("duplicate basicConstraints (CA true second)", "extension 2.5.29.19 (basicConstraints) appears more than once")]
    [InlineData("subjectAltName garbage", "extension 2.5.29.17 (subjectAltName) is not one DER value")]
    [InlineData("subjectAltName dNSName with high bytes", "extension 2.5.29.17 (subjectAltName) cannot be read")]
    [InlineData("extension value with trailing bytes", "extension 2.5.29.19 (basicConstraints) is not one DER value")]
    [InlineData("keyUsage value with a long-form length", "extension 2.5.29.15 (keyUsage) is not one DER value")]
    [InlineData("indefinite length inside the signed part", "the certificate is not DER-encoded")]
    [InlineData("constructed string inside the signed part", "the certificate is not DER-encoded (a constructed universal 12")]
    [InlineData("subject embedded NUL", "subject attribute 2.5.4.3 holds a NUL character")]
    [InlineData("subject control characters", "subject attribute 2.5.4.3 holds the control character U+001B")]
    [InlineData("subject PrintableString with @", "holds '@', which PrintableString does not allow")]
    [InlineData("empty subject", "the subject is empty and there is no subjectAltName")]
    [InlineData("subjectAltName empty sequence", "subjectAltName is empty")]
    [InlineData("subjectAltName iPAddress of 5 octets", "subjectAltName iPAddress is 5 octets long")]
    [InlineData("subjectAltName dNSName with NUL", "subjectAltName dNSName holds a NUL character")]
    [InlineData("subjectAltName URI with control characters", "subjectAltName uniformResourceIdentifier holds the byte 0x1B")]
    [InlineData("serial of 200 octets", "serialNumber is 200 octets long")]
    public async Task A_malformed_field_is_untrusted_naming_it(string name, string expected)
    {
        var corpus = new MalformedCertificates(root.Certificate, key);
        var (_, der) = corpus.All().Single(c => c.Name == name);

        var verdict = await Validator().ValidateAsync(X509CertificateLoader.LoadCertificate(der), [], Now, default);

        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains(expected, verdict.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("indefinite length (BER)")]
    [InlineData("trailing bytes")]
    public void Outer_BER_and_trailing_bytes_reach_the_gateway_as_the_one_DER_encoding_that_was_signed(string name)
    {
        // The platform re-encodes the outer envelope (the TLS stack does the same): the gateway judges, logs and
        // fingerprints the DER form only, so the same certificate cannot show up under several SHA-256 values.
        var corpus = new MalformedCertificates(root.Certificate, key);
        var der = corpus.All().Single(c => c.Name == name).Der;

        using var certificate = X509CertificateLoader.LoadCertificate(der);

        Assert.NotEqual(der, certificate.RawData);
        Assert.Null(CertificateFields.Unreadable(certificate));
        using var reencoded = X509CertificateLoader.LoadCertificate(certificate.RawData);
        Assert.Equal(certificate.RawData, reencoded.RawData);
    }

    [Fact]
    public async Task An_unreadable_intermediate_the_client_sent_is_left_out_and_named_when_the_path_fails()
    {
        var corpus = new MalformedCertificates(root.Certificate, key);
        using var other = TestCa.CreateRoot("CN=Elsewhere");
        var (_, der) = corpus.All().Single(c => c.Name == "notAfter year 0 (GeneralizedTime)");

        var verdict = await Validator().ValidateAsync(other.Issue("CN=stranger"), [X509CertificateLoader.LoadCertificate(der)], Now, default);

        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains("the client also sent unreadable or malformed certificates", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trust_anchor_whose_dates_cannot_be_read_is_a_source_error_not_an_anchor()
    {
        using var anchorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Year Zero Root", anchorKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var draft = request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
        var raw = new RawCertificate(draft, anchorKey) { NotBefore = RawCertificate.TimeText(0x18, "00000101000000Z"), SubjectName = draft.SubjectName.RawData };
        raw.Extensions.Clear();
        raw.Extensions.Add(RawCertificate.Extension(MtlsGateway.TestSupport.Pki.Oids.BasicConstraints, true, new X509BasicConstraintsExtension(true, false, 0, true).RawData));
        var file = Path.Combine(folder, "year0-root.der");
        File.WriteAllBytes(file, raw.Encode());

        var error = Assert.Throws<CertificateSourceException>(() => TrustList.Load([file], [], Now));
        Assert.Contains("notBefore", error.Message, StringComparison.Ordinal);
    }

    private ClientCertificateValidator Validator()
    {
        var anchors = Path.Combine(folder, "root.pem");
        File.WriteAllText(anchors, root.Certificate.ExportCertificatePem());
        var trust = TrustList.Load([anchors], [], Now);
        var revocation = new RevocationCheck(RevocationMode.BestEffort, RevocationScope.Chain, [new CrlFileRevocationSource(() => CrlSet.Empty, TimeSpan.FromMinutes(5), new PathValidationPolicy().Minimums)]);
        return new ClientCertificateValidator(() => trust, new PathValidationPolicy(), [revocation], new ValidationEpoch());
    }
}
