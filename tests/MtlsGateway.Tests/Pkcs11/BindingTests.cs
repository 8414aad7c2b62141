using System.Security.Cryptography;
using MtlsGateway.Pkcs11.Interop;
using MtlsGateway.Pkcs11.Tokens;

namespace MtlsGateway.Tests.Pkcs11;

[Collection(SoftHsmGroup.Name)]
public sealed class BindingTests(SoftHsm hsm)
{
    [Fact]
    public void Token_info_names_the_softhsm_token()
    {
        var token = TokenFinder.Find(hsm.Module, TokenSelector.ByLabel(SoftHsm.TlsToken));

        Assert.Equal(SoftHsm.TlsToken, token.Label);
        Assert.Equal("SoftHSM project", token.Manufacturer);
        Assert.Equal("SoftHSM v2", token.Model);
        Assert.Matches("^[0-9a-f]{16}$", token.SerialNumber);
        Assert.True(token.LoginRequired);
        Assert.Contains("token-initialized", token.FlagNames);
        Assert.True(hsm.Module.GetSlotInfo(token.SlotId).TokenPresent);
        Assert.Equal(token, TokenFinder.Find(hsm.Module, TokenSelector.BySerial(token.SerialNumber)));
    }

    [Fact]
    public void Loading_the_module_again_treats_already_initialized_as_success()
    {
        var again = Pkcs11Module.Load(SoftHsm.ModulePath);

        Assert.Contains(again.GetSlotList(tokenPresent: true), slot => again.GetTokenInfo(slot).Label == SoftHsm.TlsToken);
    }

    [Fact]
    public void Wrong_pin_is_a_distinct_error_that_never_shows_the_pin()
    {
        const string wrongPin = "9999-wrong-pin-text";
        using var session = hsm.Module.OpenSession(hsm.Slot(SoftHsm.PinToken), readWrite: false);

        var error = Assert.Throws<Pkcs11PinIncorrectException>(() => session.Login(wrongPin.AsSpan()));

        Assert.Equal("C_Login: CKR_PIN_INCORRECT (0xA0)", error.Message);
        Assert.DoesNotContain(wrongPin, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.UserPin, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Second_login_counts_as_success()
    {
        using var first = hsm.LoggedInSession(SoftHsm.TlsToken);
        using var second = hsm.Module.OpenSession(hsm.Slot(SoftHsm.TlsToken), readWrite: false);

        var pinChecked = second.Login("not-even-the-pin"u8); // CKR_USER_ALREADY_LOGGED_IN: the token does not look at it

        Assert.False(pinChecked);
        Assert.Single(TokenKeys.Find(second, Cko.PrivateKey, SoftHsm.TlsKeyLabel, []));
    }

    [Fact]
    public void Private_key_of_pkcs11_tool_is_non_extractable_and_signs_ecdsa_verifiable_with_its_public_key()
    {
        using var session = hsm.LoggedInSession(SoftHsm.TlsToken);
        var privateKey = Assert.Single(TokenKeys.Find(session, Cko.PrivateKey, null, [0x01]));
        var publicKeyHandle = Assert.Single(TokenKeys.Find(session, Cko.PublicKey, null, [0x01]));
        using var publicKey = TokenKeys.ReadEcP256PublicKey(session, publicKeyHandle);
        var hash = SHA256.HashData("challenge"u8);

        var signature = session.Sign(privateKey, Ckm.Ecdsa, hash);

        Assert.Equal(64, signature.Length);
        Assert.True(publicKey.VerifyHash(hash, signature));
        Assert.True(session.GetBoolAttribute(privateKey, Cka.Sensitive));
        Assert.False(session.GetBoolAttribute(privateKey, Cka.Extractable));
        var readValue = Assert.Throws<Pkcs11Exception>(() => session.GetAttributeValue(privateKey, Cka.Value));
        Assert.Equal(Ckr.AttributeSensitive, readValue.ReturnValue);
    }

    [Fact]
    public void Token_list_shows_public_objects_without_login()
    {
        var inventory = TokenInventory.Read(Pkcs11Module.Load(SoftHsm.ModulePath));

        // The token nobody logs into: login state is per token and process, so a logged-in token shows private objects.
        var tls = Assert.Single(inventory, slot => slot.Token?.Label == SoftHsm.PinToken);
        Assert.Contains(tls.Objects, o => o is { Class: "certificate", IdHex: "01", Label: SoftHsm.TlsKeyLabel, KeyType: null });
        Assert.DoesNotContain(tls.Objects, o => o.Class is "private-key" or "public-key"); // pkcs11-tool --private hides both until login
        Assert.Contains(inventory, slot => slot.Problem == "token not initialised"); // SoftHSM's spare slot

        var text = TokenInventoryText.Format(inventory);
        Assert.Contains($"  token '{SoftHsm.PinToken}' serial {tls.Token!.SerialNumber}, SoftHSM project SoftHSM v2 [", text, StringComparison.Ordinal);
        Assert.Contains($"  certificate  id 01       label '{SoftHsm.TlsKeyLabel}'", text, StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.UserPin, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_uri_percent_encodes_label_and_id_and_carries_no_pin()
    {
        var token = new TokenInfo(1, "card; #1", "m", "model", "00ff", 0);

        var uri = MtlsGateway.Pkcs11.Engine.Pkcs11Uri.ForPrivateKey(token, [0x01, 0xAB]);

        Assert.Equal("pkcs11:token=card%3B%20%231;serial=00ff;id=%01%AB;type=private", uri);
    }
}
