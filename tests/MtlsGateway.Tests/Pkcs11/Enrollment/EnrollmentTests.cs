using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Pkcs11.Enrollment;
using MtlsGateway.Pkcs11.Identity;
using MtlsGateway.Pkcs11.Tokens;
using MtlsGateway.TestSupport.SoftHsm2;
using Net.Pkcs11Interop.Common;

namespace MtlsGateway.Tests.Pkcs11.Enrollment;

[Collection(SoftHsmGroup.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EnrollmentTests(SoftHsm hsm)
{
    [Fact]
    public void Enrolled_key_is_sensitive_non_extractable_and_the_csr_verifies()
    {
        using var token = hsm.LoggedInSession(SoftHsm.EnrollToken, readWrite: true);
        var session = token.Session;

        var result = TokenEnrollment.Enroll(session, new X500DistinguishedName("CN=enroll-check.test"), "enroll-check", [0xE1]);

        var privateKey = Assert.Single(TokenKeys.Find(session, CKO.CKO_PRIVATE_KEY, "enroll-check", [0xE1]));
        Assert.True(session.ReadBool(privateKey, CKA.CKA_SENSITIVE));
        Assert.False(session.ReadBool(privateKey, CKA.CKA_EXTRACTABLE));
        Assert.True(session.ReadBool(privateKey, CKA.CKA_NEVER_EXTRACTABLE));
        Assert.True(session.ReadBool(privateKey, CKA.CKA_TOKEN));
        Assert.True(session.ReadBool(privateKey, CKA.CKA_PRIVATE));
        Assert.Null(session.TryReadBytes(privateKey, CKA.CKA_VALUE)); // CKR_ATTRIBUTE_SENSITIVE

        var request = CertificateRequest.LoadSigningRequestPem(result.CertificateSigningRequestPem, HashAlgorithmName.SHA256);
        Assert.Equal("CN=enroll-check.test", request.SubjectName.Name);
        Assert.Equal("e1", result.KeyIdHex);
        var publicKey = Assert.Single(TokenKeys.Find(session, CKO.CKO_PUBLIC_KEY, "enroll-check", [0xE1]));
        using var tokenPublicKey = TokenKeys.ReadEcP256PublicKey(session, publicKey);
        Assert.Equal(tokenPublicKey.ExportSubjectPublicKeyInfo(), request.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void Enrolling_over_an_existing_label_is_refused()
    {
        using var token = hsm.LoggedInSession(SoftHsm.EnrollToken, readWrite: true);
        TokenEnrollment.Enroll(token.Session, new X500DistinguishedName("CN=twice.test"), "twice", [0xE2]);

        var error = Assert.Throws<InvalidOperationException>(
            () => TokenEnrollment.Enroll(token.Session, new X500DistinguishedName("CN=twice.test"), "twice", [0xE3]));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Single(TokenKeys.Find(token.Session, CKO.CKO_PRIVATE_KEY, "twice", []));
    }

    [Fact]
    public void Ecdsa_signature_is_converted_from_r_s_to_der()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var hash = SHA256.HashData("data"u8);
        var rs = key.SignHash(hash);

        var der = TokenEcdsaSignatureGenerator.ToDer(rs);

        Assert.True(key.VerifyHash(hash, der, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void Ecdsa_signatures_whose_r_or_s_starts_with_a_zero_byte_convert_to_valid_der()
    {
        // About one signature in 128; this found one on a CI run (enrollment failed with an AsnWriter exception).
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var found = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000 && found.Count < 2; i++)
        {
            var hash = SHA256.HashData(BitConverter.GetBytes(i));
            var rs = key.SignHash(hash);
            var part = rs[0] == 0 ? "r" : rs[32] == 0 ? "s" : null;
            if (part is null)
            {
                continue;
            }

            found.Add(part);
            Assert.True(key.VerifyHash(hash, TokenEcdsaSignatureGenerator.ToDer(rs), DSASignatureFormat.Rfc3279DerSequence));
        }

        Assert.Equal(["r", "s"], found.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("00007F", "80", "3007 02017F 02020080")]
    [InlineData("0001", "0001", "3006 020101 020101")]
    public void R_and_s_are_written_as_minimal_der_integers(string r, string s, string expected)
    {
        var der = TokenEcdsaSignatureGenerator.ToDer(Convert.FromHexString(r.PadLeft(Math.Max(r.Length, s.Length), '0') + s.PadLeft(Math.Max(r.Length, s.Length), '0')));

        Assert.Equal(expected.Replace(" ", string.Empty, StringComparison.Ordinal), Convert.ToHexString(der));
    }

    [Fact]
    public void A_zero_r_or_s_is_refused_as_malformed()
    {
        Assert.Throws<CryptographicException>(() => TokenEcdsaSignatureGenerator.ToDer(new byte[64]));
        Assert.Throws<CryptographicException>(() => TokenEcdsaSignatureGenerator.ToDer([.. new byte[31], 1, .. new byte[32]]));
    }

    [Fact]
    public void Enroll_issue_import_round_trip_gives_a_working_identity()
    {
        byte[] keyId = [0xA1, 0x02];
        string csrPem;
        using (var token = hsm.LoggedInSession(SoftHsm.EnrollToken, readWrite: true))
        {
            csrPem = TokenEnrollment.Enroll(token.Session, new X500DistinguishedName("CN=round-trip.test"), "round-trip", keyId).CertificateSigningRequestPem;
        }

        var request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256);
        using var issued = hsm.Ca.Sign(request);
        using (var token = hsm.LoggedInSession(SoftHsm.EnrollToken, readWrite: true))
        {
            var handle = TokenEnrollment.ImportCertificate(token.Session, issued);
            Assert.Equal(keyId, token.Session.ReadBytes(handle, CKA.CKA_ID));
            Assert.Equal("round-trip"u8.ToArray(), token.Session.ReadBytes(handle, CKA.CKA_LABEL));
            Assert.Equal(issued.RawData, token.Session.ReadBytes(handle, CKA.CKA_VALUE));
            Assert.Throws<InvalidOperationException>(() => TokenEnrollment.ImportCertificate(token.Session, issued)); // no duplicates
        }

        var loader = new Pkcs11IdentityLoader(TimeProvider.System);
        using var identity = loader.Load(
            new Pkcs11IdentityOptions("round-trip", SoftHsm.ModulePath, SoftHsm.EnrollToken, null, null, "a102"), SoftHsm.PinBytes);

        Assert.True(identity.Certificate.HasPrivateKey);
        Assert.Equal(issued.Thumbprint, identity.Certificate.Thumbprint);
        Assert.Equal("a102", identity.Description.KeyIdHex);
        Assert.Equal(SoftHsm.EnrollToken, identity.Description.TokenLabel);
        Assert.Equal("CN=round-trip.test", identity.Description.Subject);
    }

    [Fact]
    public void Importing_a_certificate_for_a_key_not_on_the_token_is_refused()
    {
        using var foreignKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var foreign = hsm.Ca.Sign(new CertificateRequest("CN=foreign.test", foreignKey, HashAlgorithmName.SHA256));
        using var token = hsm.LoggedInSession(SoftHsm.EnrollToken, readWrite: true);

        var error = Assert.Throws<InvalidOperationException>(() => TokenEnrollment.ImportCertificate(token.Session, foreign));

        Assert.Contains("no EC P-256 public key on the token matches", error.Message, StringComparison.Ordinal);
    }
}
