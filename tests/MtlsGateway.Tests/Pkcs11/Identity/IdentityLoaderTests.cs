using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Pkcs11.Enrollment;
using MtlsGateway.Pkcs11.Identity;
using MtlsGateway.TestSupport.SoftHsm2;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.Tests.Pkcs11.Identity;

[Collection(SoftHsmGroup.Name)]
[SupportedOSPlatform("linux")]
public sealed class IdentityLoaderTests(SoftHsm hsm)
{
    private readonly Pkcs11IdentityLoader loader = new(TimeProvider.System);

    private static Pkcs11IdentityOptions TlsIdentity => new("upstream-a", SoftHsm.ModulePath, SoftHsm.TlsToken, null, SoftHsm.TlsKeyLabel, null);

    [Fact]
    public void Identity_from_the_token_certificate_passes_its_self_test_and_describes_itself()
    {
        using var identity = loader.Load(TlsIdentity, SoftHsm.PinBytes);

        Assert.True(identity.Certificate.HasPrivateKey);
        Assert.Equal(SoftHsm.TlsSubject, identity.Certificate.Subject);
        Assert.Equal(SoftHsm.TlsToken, identity.Description.TokenLabel);
        Assert.Matches("^[0-9a-f]{16}$", identity.Description.TokenSerial);
        Assert.Equal("01", identity.Description.KeyIdHex);
        Assert.Equal("EC", identity.Description.KeyType);
        Assert.Contains("valid until", identity.Description.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.UserPin, identity.Description.ToString(), StringComparison.Ordinal);
        Assert.True(identity.IsTokenPresent());
    }

    [Fact]
    public void Key_can_be_named_by_id_and_token_by_serial()
    {
        using var byLabel = loader.Load(TlsIdentity, SoftHsm.PinBytes);

        using var byId = loader.Load(
            new Pkcs11IdentityOptions("by-id", SoftHsm.ModulePath, null, byLabel.Description.TokenSerial, null, "01"), SoftHsm.PinBytes);

        Assert.Equal(byLabel.Certificate.Thumbprint, byId.Certificate.Thumbprint);
    }

    [Fact]
    public void Wrong_pin_stops_with_a_clear_one_line_error_without_the_pin()
    {
        const string wrongPin = "31337-not-the-pin";
        var options = new Pkcs11IdentityOptions("payments", SoftHsm.ModulePath, SoftHsm.PinToken, null, SoftHsm.TlsKeyLabel, null);

        var error = Assert.Throws<OutboundIdentityException>(() => loader.Load(options, System.Text.Encoding.UTF8.GetBytes(wrongPin)));

        Assert.Equal(IdentityFailure.WrongPin, error.Failure);
        Assert.StartsWith("outbound identity 'payments': wrong PIN for token 'gw-pin' (C_Login: CKR_PIN_INCORRECT (0xA0)); not retried", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain(wrongPin, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.UserPin, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_module_is_named()
    {
        var options = TlsIdentity with { ModulePath = "/usr/lib/no-such-card/pkcs11.so" };

        var error = Assert.Throws<OutboundIdentityException>(() => loader.Load(options, SoftHsm.PinBytes));

        Assert.Equal(IdentityFailure.ModuleMissing, error.Failure);
        Assert.Contains("'/usr/lib/no-such-card/pkcs11.so': file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absent_token_and_absent_key_are_named()
    {
        var noToken = Assert.Throws<OutboundIdentityException>(() => loader.Load(TlsIdentity with { TokenLabel = "no-such-card" }, SoftHsm.PinBytes));
        var noKey = Assert.Throws<OutboundIdentityException>(() => loader.Load(TlsIdentity with { KeyLabel = "no-such-key" }, SoftHsm.PinBytes));

        Assert.Equal(IdentityFailure.TokenNotFound, noToken.Failure);
        Assert.Contains("token 'no-such-card' not found", noToken.Message, StringComparison.Ordinal);
        Assert.Equal(IdentityFailure.KeyNotFound, noKey.Failure);
        Assert.Contains("no private key labelled 'no-such-key' on token 'gw-tls'", noKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_for_another_key_is_refused_as_a_mismatch()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = hsm.Ca.Sign(new CertificateRequest(SoftHsm.TlsSubject, otherKey, HashAlgorithmName.SHA256));
        using var fromFile = X509CertificateLoader.LoadCertificateFromFile(hsm.WriteFile("other.der", other.RawData));

        var error = Assert.Throws<OutboundIdentityException>(() => loader.Load(TlsIdentity, SoftHsm.PinBytes, fromFile));

        Assert.Equal(IdentityFailure.CertificateMismatch, error.Failure);
        Assert.Contains("does not match EC key id 01 on token 'gw-tls'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matching_certificate_from_a_file_is_accepted()
    {
        using var onToken = loader.Load(TlsIdentity, SoftHsm.PinBytes);
        using var fromFile = X509CertificateLoader.LoadCertificateFromFile(hsm.WriteFile("tls.der", onToken.Certificate.RawData));

        using var identity = loader.Load(TlsIdentity, SoftHsm.PinBytes, fromFile);

        Assert.True(identity.Certificate.HasPrivateKey);
    }

    [Fact]
    public void Expired_certificate_is_refused()
    {
        var loader = new Pkcs11IdentityLoader(new ManualClock(DateTimeOffset.UtcNow.AddYears(2)));

        var error = Assert.Throws<OutboundIdentityException>(() => loader.Load(TlsIdentity, SoftHsm.PinBytes));

        Assert.Equal(IdentityFailure.CertificateExpired, error.Failure);
        Assert.Contains($"certificate '{SoftHsm.TlsSubject}' expired at", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_without_certificate_on_the_token_is_named()
    {
        using (var token = hsm.LoggedInSession(SoftHsm.EnrollToken, readWrite: true))
        {
            TokenEnrollment.Enroll(token.Session, new X500DistinguishedName("CN=no-cert.test"), "no-cert", [0xC0]);
        }

        var error = Assert.Throws<OutboundIdentityException>(
            () => loader.Load(new Pkcs11IdentityOptions("x", SoftHsm.ModulePath, SoftHsm.EnrollToken, null, "no-cert", null), SoftHsm.PinBytes));

        Assert.Equal(IdentityFailure.CertificateMissing, error.Failure);
        Assert.Contains("no certificate with id c0 on token 'gw-enroll'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_key_id_is_a_configuration_error()
    {
        var error = Assert.Throws<OutboundIdentityException>(() => loader.Load(TlsIdentity with { KeyLabel = null, KeyIdHex = "zz" }, SoftHsm.PinBytes));

        Assert.Equal(IdentityFailure.InvalidConfiguration, error.Failure);
        Assert.Equal("outbound identity 'upstream-a': KeyId must be hexadecimal (e.g. 01 or a1b2)", error.Message);
    }

    [Fact]
    public void Key_label_that_matches_two_private_keys_is_refused_as_ambiguous()
    {
        foreach (var id in new[] { "71", "72" })
        {
            hsm.Pkcs11Tool(SoftHsm.EnrollToken, "--keypairgen", "--key-type", "EC:prime256v1", "--id", id, "--label", "twin", "--usage-sign", "--sensitive", "--private");
        }

        var error = Assert.Throws<OutboundIdentityException>(
            () => loader.Load(new Pkcs11IdentityOptions("twins", SoftHsm.ModulePath, SoftHsm.EnrollToken, null, "twin", null), SoftHsm.PinBytes));

        Assert.Equal(IdentityFailure.KeyAmbiguous, error.Failure);
        Assert.Equal("outbound identity 'twins': 2 private keys match key labelled 'twin' on token 'gw-enroll'; configure KeyId too", error.Message);
    }

    [Fact]
    public void Certificate_on_the_token_for_another_key_is_refused_as_a_mismatch()
    {
        hsm.Pkcs11Tool(SoftHsm.EnrollToken, "--keypairgen", "--key-type", "EC:prime256v1", "--id", "73", "--label", "wrong-cert", "--usage-sign", "--sensitive", "--private");
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = hsm.Ca.Sign(new CertificateRequest("CN=someone-else.test", otherKey, HashAlgorithmName.SHA256));
        hsm.Pkcs11Tool(SoftHsm.EnrollToken, "--write-object", hsm.WriteFile("someone-else.der", other.RawData), "--type", "cert", "--id", "73", "--label", "wrong-cert");

        var error = Assert.Throws<OutboundIdentityException>(
            () => loader.Load(new Pkcs11IdentityOptions("mismatch", SoftHsm.ModulePath, SoftHsm.EnrollToken, null, "wrong-cert", null), SoftHsm.PinBytes));

        Assert.Equal(IdentityFailure.CertificateMismatch, error.Failure);
        Assert.Contains("certificate 'CN=someone-else.test' does not match EC key id 73 on token 'gw-enroll'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PIN_with_a_NUL_byte_is_refused_before_any_login()
    {
        var options = new Pkcs11IdentityOptions("nul", SoftHsm.ModulePath, SoftHsm.PinToken, null, SoftHsm.TlsKeyLabel, null);

        var error = Assert.Throws<OutboundIdentityException>(() => loader.Load(options, [.. SoftHsm.PinBytes, 0x00, (byte)'x']));

        Assert.Equal(IdentityFailure.InvalidConfiguration, error.Failure);
        Assert.Equal("outbound identity 'nul': the PIN contains a NUL byte, which the OpenSSL engine cannot take; no login attempted", error.Message);
    }
}
