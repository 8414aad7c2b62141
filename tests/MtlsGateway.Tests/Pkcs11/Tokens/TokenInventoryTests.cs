using System.Runtime.Versioning;
using MtlsGateway.Pkcs11.Modules;
using MtlsGateway.Pkcs11.Tokens;
using MtlsGateway.TestSupport.SoftHsm2;

namespace MtlsGateway.Tests.Pkcs11.Tokens;

/// <summary>`token list` and the token search, including a slot whose token answers with CKR_GENERAL_ERROR.</summary>
[Collection(SoftHsmGroup.Name)]
[SupportedOSPlatform("linux")]
public sealed class TokenInventoryTests(SoftHsm hsm, BrokenSlotModule broken) : IClassFixture<BrokenSlotModule>
{
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
    public void Token_list_names_the_slot_that_answers_with_an_error_and_still_lists_the_others()
    {
        var inventory = TokenInventory.Read(broken.Module);

        var failing = Assert.Single(inventory, slot => slot.Problem?.Contains("CKR_GENERAL_ERROR", StringComparison.Ordinal) == true);
        Assert.Null(failing.Token);
        Assert.Equal("token not listed: C_GetTokenInfo: CKR_GENERAL_ERROR (0x5)", failing.Problem);
        var healthy = Assert.Single(inventory, slot => slot.Token?.Label == BrokenSlotModule.HealthyToken);
        Assert.Contains(healthy.Objects, o => o is { Class: "certificate", IdHex: "0a", Label: "healthy-cert" });

        var text = TokenInventoryText.Format(inventory);
        Assert.Contains($"slot 0x{failing.Slot.SlotId:x}: {failing.Slot.Description} (token not listed: C_GetTokenInfo: CKR_GENERAL_ERROR (0x5))", text, StringComparison.Ordinal);
        Assert.Contains($"  token '{BrokenSlotModule.HealthyToken}' serial ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_search_skips_a_slot_that_answers_with_an_error()
    {
        var token = TokenFinder.Find(broken.Module, TokenSelector.ByLabel(BrokenSlotModule.HealthyToken));

        Assert.Equal(BrokenSlotModule.HealthyToken, token.Label);
        Assert.True(TokenFinder.IsPresent(broken.Module, TokenSelector.ByLabel(BrokenSlotModule.HealthyToken)));
    }

    [Fact]
    public void Token_in_the_failing_slot_is_not_found_and_the_failure_is_named()
    {
        var error = Assert.Throws<TokenNotFoundException>(() => TokenFinder.Find(broken.Module, TokenSelector.ByLabel(BrokenSlotModule.BrokenToken)));

        Assert.StartsWith($"token '{BrokenSlotModule.BrokenToken}' not found in any slot of PKCS#11 module '{broken.ModulePath}' (skipped, answering with an error: slot 0x", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(": C_GetTokenInfo: CKR_GENERAL_ERROR (0x5))", error.Message, StringComparison.Ordinal);
        Assert.False(TokenFinder.IsPresent(broken.Module, TokenSelector.ByLabel(BrokenSlotModule.BrokenToken))); // fail closed
    }

    [Fact]
    public void The_broken_instance_is_separate_from_the_shared_one()
    {
        Assert.DoesNotContain(TokenInventory.Read(hsm.Module), slot => slot.Token?.Label == BrokenSlotModule.HealthyToken);
        Assert.DoesNotContain(TokenInventory.Read(broken.Module), slot => slot.Token?.Label == SoftHsm.TlsToken);
    }
}
