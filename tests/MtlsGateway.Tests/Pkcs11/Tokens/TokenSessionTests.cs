using System.Runtime.Versioning;
using System.Security.Cryptography;
using MtlsGateway.Pkcs11.Engine;
using MtlsGateway.Pkcs11.Enrollment;
using MtlsGateway.Pkcs11.Tokens;
using MtlsGateway.TestSupport.SoftHsm2;
using Net.Pkcs11Interop.Common;

namespace MtlsGateway.Tests.Pkcs11.Tokens;

/// <summary>Sessions and logging in through Pkcs11Interop, on SoftHSM2 tokens made by pkcs11-tool.</summary>
[Collection(SoftHsmGroup.Name)]
[SupportedOSPlatform("linux")]
public sealed class TokenSessionTests(SoftHsm hsm)
{
    [Fact]
    public void Wrong_pin_is_a_distinct_error_that_never_shows_the_pin_and_the_token_counts_it()
    {
        const string wrongPin = "9999-wrong-pin-text";
        using var session = hsm.Module.OpenSession(hsm.Slot(SoftHsm.PinToken), readWrite: false);

        var error = Assert.Throws<PinIncorrectException>(() => session.Login(System.Text.Encoding.UTF8.GetBytes(wrongPin)));

        Assert.Equal("C_Login: CKR_PIN_INCORRECT (0xA0)", error.Message);
        Assert.DoesNotContain(wrongPin, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.UserPin, error.ToString(), StringComparison.Ordinal);
        // The token's own record of the failed attempt (SoftHSM2 sets it after a wrong PIN, a right one clears it).
        Assert.True(TokenFinder.Find(hsm.Module, TokenSelector.ByLabel(SoftHsm.PinToken)).UserPinCountLow);
    }

    [Fact]
    public void A_session_offers_its_PIN_once_even_when_the_caller_asks_again()
    {
        using var session = hsm.Module.OpenSession(hsm.Slot(SoftHsm.PinToken), readWrite: false);
        Assert.Throws<PinIncorrectException>(() => session.Login("1111-wrong"u8));

        var again = Assert.Throws<InvalidOperationException>(() => session.Login(SoftHsm.PinBytes));

        Assert.Contains("a PIN is tried once", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Second_login_counts_as_success_without_the_PIN_being_checked()
    {
        using var first = hsm.LoggedInSession(SoftHsm.TlsToken);
        using var second = hsm.Module.OpenSession(hsm.Slot(SoftHsm.TlsToken), readWrite: false);

        var pinChecked = second.Login("not-even-the-pin"u8); // CKR_USER_ALREADY_LOGGED_IN: the token does not look at it

        Assert.False(pinChecked);
        Assert.Single(TokenKeys.Find(second.Session, CKO.CKO_PRIVATE_KEY, SoftHsm.TlsKeyLabel, []));
    }

    [Fact]
    public void Login_after_the_engine_logged_in_first_counts_as_success()
    {
        var engine = Pkcs11Engine.Open(SoftHsm.ModulePath);
        var token = TokenFinder.Find(hsm.Module, TokenSelector.ByLabel(SoftHsm.EngineFirstToken));
        engine.SetPin(SoftHsm.PinBytes);
        using (var key = engine.LoadPrivateKey(EngineKeyUri.ForPrivateKey(token, [0x01])))
        {
            Assert.False(key.IsInvalid);
        }

        using var session = hsm.Module.OpenSession(token.SlotId, readWrite: false);

        Assert.False(session.Login("the-engine-holds-the-login"u8));
        Assert.Single(TokenKeys.Find(session.Session, CKO.CKO_PRIVATE_KEY, SoftHsm.TlsKeyLabel, [0x01]));
    }

    [Fact]
    public void Private_key_of_pkcs11_tool_is_non_extractable_and_signs_ecdsa_verifiable_with_its_public_key()
    {
        using var token = hsm.LoggedInSession(SoftHsm.TlsToken);
        var session = token.Session;
        var privateKey = Assert.Single(TokenKeys.Find(session, CKO.CKO_PRIVATE_KEY, null, [0x01]));
        var publicKeyHandle = Assert.Single(TokenKeys.Find(session, CKO.CKO_PUBLIC_KEY, null, [0x01]));
        using var publicKey = TokenKeys.ReadEcP256PublicKey(session, publicKeyHandle);
        var hash = SHA256.HashData("challenge"u8);

        var signature = TokenSigner.SignHashEcdsa(session, privateKey, hash);

        Assert.Equal(64, signature.Length);
        Assert.True(publicKey.VerifyHash(hash, signature));
        Assert.True(session.ReadBool(privateKey, CKA.CKA_SENSITIVE));
        Assert.False(session.ReadBool(privateKey, CKA.CKA_EXTRACTABLE));
        Assert.Null(session.TryReadBytes(privateKey, CKA.CKA_VALUE)); // CKR_ATTRIBUTE_SENSITIVE: Pkcs11Interop says "cannot be read"
        Assert.Equal(CKA.CKA_VALUE, Assert.Throws<UnreadableAttributeException>(() => session.ReadBytes(privateKey, CKA.CKA_VALUE)).Attribute);
    }
}
