using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Revocation.Crl;

namespace MtlsGateway.Tests.Validation.Revocation.Crl;

public sealed class CertificateRevocationListTests
{
    private static readonly DateTimeOffset ThisUpdate = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reads_the_fields_of_a_crl_made_by_the_dotnet_builder()
    {
        using var ca = TestCa.CreateRoot("CN=Builder CA", profile => profile.Key = KeySpec.Rsa2048);
        var builder = new CertificateRevocationListBuilder();
        var revokedAt = new DateTimeOffset(2025, 12, 24, 10, 0, 0, TimeSpan.Zero);
        builder.AddEntry([0x12, 0x34], revokedAt, X509RevocationReason.KeyCompromise);
        builder.AddEntry([0x56], revokedAt, null);
        var der = builder.Build(ca.Certificate, new BigInteger(42), ThisUpdate.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, ThisUpdate);

        var crl = CertificateRevocationList.Parse(der);

        Assert.True(crl.IssuerName.Span.SequenceEqual(ca.Name.RawData));
        Assert.Equal(ThisUpdate, crl.ThisUpdate);
        Assert.Equal(ThisUpdate.AddDays(7), crl.NextUpdate);
        Assert.Equal(new BigInteger(42), crl.CrlNumber);
        Assert.True(crl.AuthorityKeyIdentifier!.Value.Span.SequenceEqual(ca.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.Span));
        Assert.Null(crl.UnusableBecause);
        Assert.Equal(2, crl.Count);
        Assert.True(crl.TryFind([0x12, 0x34], out var entry));
        Assert.Equal(X509RevocationReason.KeyCompromise, entry.Reason);
        Assert.Equal(revokedAt, entry.RevocationDate);
        Assert.True(crl.TryFind([0x56], out var noReason));
        Assert.Null(noReason.Reason);
        Assert.False(crl.TryFind([0x12], out _));
    }

    [Fact]
    public void Negative_and_long_serials_match_only_their_exact_encoding()
    {
        using var ca = TestCa.CreateRoot("CN=Serial CA");
        byte[] minusOne = [0xFF];
        byte[] negative = [0x80, 0x01];
        byte[] positiveWithSignOctet = [0x00, 0x80];
        byte[] twentyOctets = [0x7F, .. Enumerable.Range(1, 19).Select(i => (byte)i)];
        var der = Crl(ca, [
            new RevocationEntry(minusOne, ThisUpdate),
            new RevocationEntry(negative, ThisUpdate),
            new RevocationEntry(positiveWithSignOctet, ThisUpdate),
            new RevocationEntry(twentyOctets, ThisUpdate),
        ]);

        var crl = CertificateRevocationList.Parse(der);

        Assert.True(crl.TryFind(minusOne, out _));
        Assert.True(crl.TryFind(negative, out _));
        Assert.True(crl.TryFind(positiveWithSignOctet, out _));
        Assert.True(crl.TryFind(twentyOctets, out var longEntry));
        Assert.Equal(twentyOctets, longEntry.Serial.ToArray());
        Assert.False(crl.TryFind([0x80], out _));
        Assert.False(crl.TryFind([0x01], out _));
        Assert.False(crl.TryFind(twentyOctets.AsSpan(0, 19), out _));
    }

    [Fact]
    public void Reason_and_invalidity_date_are_reported()
    {
        using var ca = TestCa.CreateRoot("CN=Reason CA");
        var invalidSince = new DateTimeOffset(2025, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var der = Crl(ca, [
            new RevocationEntry([0x0A], ThisUpdate, X509RevocationReason.CACompromise, invalidSince),
        ]);

        Assert.True(CertificateRevocationList.Parse(der).TryFind([0x0A], out var entry));
        Assert.Equal(X509RevocationReason.CACompromise, entry.Reason);
        Assert.Equal(invalidSince, entry.InvalidityDate);
    }

    [Fact]
    public void A_remove_from_crl_entry_means_not_revoked()
    {
        using var ca = TestCa.CreateRoot("CN=Remove CA");
        var der = Crl(ca, [
            new RevocationEntry([0x0B], ThisUpdate, X509RevocationReason.RemoveFromCrl),
            new RevocationEntry([0x0C], ThisUpdate, X509RevocationReason.CertificateHold),
        ]);

        var crl = CertificateRevocationList.Parse(der);

        Assert.False(crl.TryFind([0x0B], out _));
        Assert.True(crl.TryFind([0x0C], out var held));
        Assert.Equal(X509RevocationReason.CertificateHold, held.Reason);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_unknown_crl_extension_makes_the_crl_unusable_only_when_critical(bool critical)
    {
        using var ca = TestCa.CreateRoot("CN=Extension CA");
        var der = Crl(ca, [], [TestExtensions.CrlNumber(1), TestExtensions.Unknown(critical)]);

        var crl = CertificateRevocationList.Parse(der);

        if (critical)
        {
            Assert.Contains("unknown critical CRL extension 1.3.6.1.4.1.99999.1", crl.UnusableBecause);
        }
        else
        {
            Assert.Null(crl.UnusableBecause);
        }
    }

    [Fact]
    public void An_unknown_critical_entry_extension_makes_the_crl_unusable()
    {
        using var ca = TestCa.CreateRoot("CN=Entry Extension CA");
        var der = Crl(ca, [
            new RevocationEntry([0x0D], ThisUpdate, Extension: TestExtensions.Unknown(critical: true)),
        ]);

        Assert.Contains("unknown critical CRL entry extension", CertificateRevocationList.Parse(der).UnusableBecause);
    }

    [Fact]
    public void A_delta_crl_is_read_as_a_delta_with_its_base_crl_number()
    {
        using var ca = TestCa.CreateRoot("CN=Delta CA");
        var der = Crl(ca, [], [TestExtensions.CrlNumber(2), TestExtensions.DeltaCrlIndicator(1)]);

        var crl = CertificateRevocationList.Parse(der);

        Assert.True(crl.IsDelta);
        Assert.Equal(1, crl.BaseCrlNumber);
        Assert.Equal(2, crl.CrlNumber);
        Assert.Null(crl.UnusableBecause);
    }

    [Theory]
    [InlineData(20, false)]
    [InlineData(21, true)]
    [InlineData(4096, true)]
    public void Crl_numbers_up_to_20_octets_are_read_and_longer_ones_make_the_crl_unusable(int octets, bool unusable)
    {
        using var ca = TestCa.CreateRoot("CN=Number CA");
        var number = BigInteger.Pow(2, 8 * octets) - 1; // all octets 0xFF: the encoding needs one more, a leading zero

        var crl = CertificateRevocationList.Parse(Crl(ca, [], [TestExtensions.CrlNumber(number)]));

        if (unusable)
        {
            Assert.Contains($"is {octets} octets long, more than the 20 RFC 5280 allows", crl.UnusableBecause);
            Assert.Null(crl.CrlNumber);
        }
        else
        {
            Assert.Null(crl.UnusableBecause);
            Assert.Equal(number, crl.CrlNumber);
        }
    }

    [Fact]
    public void A_negative_crl_number_makes_the_crl_unusable()
    {
        using var ca = TestCa.CreateRoot("CN=Negative Number CA");

        var crl = CertificateRevocationList.Parse(Crl(ca, [], [TestExtensions.CrlNumber(-1)]));

        Assert.Contains("CRL number is negative", crl.UnusableBecause);
    }

    [Fact]
    public void Certificate_issuer_entries_decide_whose_certificate_an_indirect_entry_lists()
    {
        using var ca = TestCa.CreateRoot("CN=Indirect Reader CA");
        var other = new X500DistinguishedName("CN=Other CA");
        var der = Crl(ca, [
            new RevocationEntry([0x01], ThisUpdate),
            new RevocationEntry([0x02], ThisUpdate, Extension: TestExtensions.CertificateIssuer(other)),
            new RevocationEntry([0x03], ThisUpdate),
            new RevocationEntry([0x04], ThisUpdate, Extension: TestExtensions.CertificateIssuer(ca.Name)),
        ], [TestExtensions.IssuingDistributionPoint(null, indirectCrl: true)]);

        var crl = CertificateRevocationList.Parse(der);

        Assert.Null(crl.UnusableBecause);
        Assert.True(crl.HasCertificateIssuers);
        Assert.True(crl.TryFindEntry([0x01], ca.Name.RawData, out _));
        Assert.False(crl.TryFindEntry([0x01], other.RawData, out _));
        Assert.True(crl.TryFindEntry([0x02], other.RawData, out _));
        Assert.True(crl.TryFindEntry([0x03], new X500DistinguishedName("cn=other   ca").RawData, out _));
        Assert.False(crl.TryFindEntry([0x03], ca.Name.RawData, out _));
        Assert.True(crl.TryFind([0x04], out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x00 })]
    [InlineData(new byte[] { 0x30, 0x03, 0xA4, 0x01, 0x00 })]
    public void A_certificate_issuer_entry_that_names_no_issuer_is_a_format_error(byte[] generalNames)
    {
        using var ca = TestCa.CreateRoot("CN=Broken Issuer CA");
        var der = Crl(ca, [
            new RevocationEntry([0x01], ThisUpdate, Extension: new X509Extension(MtlsGateway.TestSupport.Pki.Oids.CertificateIssuer, generalNames, critical: true)),
        ], [TestExtensions.IssuingDistributionPoint(null, indirectCrl: true)]);

        Assert.Throws<FormatException>(() => CertificateRevocationList.Parse(der));
    }

    [Fact]
    public void Malformed_bytes_are_a_format_error()
    {
        Assert.Throws<FormatException>(() => CertificateRevocationList.Parse(new byte[] { 0x30, 0x03, 0x02, 0x01 }));
        Assert.Throws<FormatException>(() => CertificateRevocationList.Parse("not a crl"u8.ToArray()));
    }

    [Fact]
    public void A_pem_file_may_hold_several_crls_and_a_der_file_one()
    {
        using var first = TestCa.CreateRoot("CN=First CA");
        using var second = TestCa.CreateRoot("CN=Second CA");
        var firstDer = Crl(first, [new RevocationEntry([0x01], ThisUpdate)]);
        var secondDer = Crl(second, []);
        using var folder = new TempFolder();
        var pem = folder.Write("both.pem", PemEncoding.WriteString("X509 CRL", firstDer) + "\n" + PemEncoding.WriteString("X509 CRL", secondDer) + "\n");
        var der = folder.Write("one.crl", secondDer);

        var fromPem = CrlFiles.Read(pem);
        var fromDer = CrlFiles.Read(der);

        Assert.Equal(["CN=First CA", "CN=Second CA"], fromPem.Select(crl => crl.Issuer.Name));
        Assert.Equal(1, fromPem[0].Count);
        Assert.Equal("CN=Second CA", Assert.Single(fromDer).Issuer.Name);
        Assert.Throws<CertificateSourceException>(() => CrlFiles.Read(folder.Write("garbage.crl", "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n")));
    }

    [Fact]
    public void Reads_a_crl_made_by_openssl_ca()
    {
        using var folder = new TempFolder();
        var ca = new OpenSslCa(folder.Path);
        var revoked = ca.Issue("leaf");
        ca.Revoke(revoked, "keyCompromise");
        var crlFile = ca.GenerateCrl();
        using var revokedCertificate = OpenSslCa.Load(revoked);

        var crl = Assert.Single(CrlFiles.Read(crlFile));

        Assert.Equal("CN=OpenSSL Test CA", crl.Issuer.Name);
        Assert.NotNull(crl.NextUpdate);
        Assert.Null(crl.UnusableBecause);
        Assert.True(crl.TryFind(revokedCertificate.SerialNumberBytes.Span, out var entry));
        Assert.Equal(X509RevocationReason.KeyCompromise, entry.Reason);
    }

    /// <summary>A CRL valid from <see cref="ThisUpdate"/> for a day, with exactly the given entries and extensions.</summary>
    private static byte[] Crl(TestCa ca, IEnumerable<RevocationEntry> entries, IEnumerable<X509Extension>? extensions = null) =>
        ca.CreateCrl(crl =>
        {
            crl.ThisUpdate = ThisUpdate;
            crl.NextUpdate = ThisUpdate.AddDays(1);
            crl.Number = null;
            crl.AuthorityKeyIdentifier = false;
            crl.Add(entries);
            foreach (var extension in extensions ?? [])
            {
                crl.Extensions.Add(extension);
            }
        });
}
