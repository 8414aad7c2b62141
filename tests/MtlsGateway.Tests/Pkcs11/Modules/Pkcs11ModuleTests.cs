using System.Runtime.CompilerServices;
using System.Runtime.Versioning;
using MtlsGateway.Pkcs11.Engine;
using MtlsGateway.Pkcs11.Identity;
using MtlsGateway.Pkcs11.Modules;
using MtlsGateway.Pkcs11.Tokens;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.SoftHsm2;
using Net.Pkcs11Interop.Common;

namespace MtlsGateway.Tests.Pkcs11.Modules;

/// <summary>Loading modules through Pkcs11Interop, and the rule that a loaded module is never finalized or unloaded.</summary>
[Collection(SoftHsmGroup.Name)]
[SupportedOSPlatform("linux")]
public sealed class Pkcs11ModuleTests(SoftHsm hsm)
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
    public void Module_answering_a_second_C_Initialize_with_already_initialized_loads_fine()
    {
        // Ask the module directly (Pkcs11Interop's low-level API, which the gateway itself may not use) what a second
        // C_Initialize in this process returns: the situation of a module the engine initialised first.
#pragma warning disable CA2000, CA1816 // never disposed or finalized on purpose: either would unload the shared module
        var lowLevel = new Net.Pkcs11Interop.LowLevelAPI80.Pkcs11Library(SoftHsm.ModulePath);
        GC.SuppressFinalize(lowLevel);
#pragma warning restore CA2000, CA1816
        Assert.Equal(CKR.CKR_CRYPTOKI_ALREADY_INITIALIZED, lowLevel.C_Initialize(null));

        var again = Pkcs11Module.Load(SoftHsm.ModulePath);

        Assert.Contains(again.GetSlotList(tokenPresent: true), slot => again.GetTokenInfo(slot).Label == SoftHsm.TlsToken);
    }

    [Fact]
    public async Task Disposing_and_dropping_the_Pkcs11Interop_library_neither_finalizes_nor_logs_out()
    {
        using var identity = new Pkcs11IdentityLoader(TimeProvider.System)
            .Load(new Pkcs11IdentityOptions("kept", SoftHsm.ModulePath, SoftHsm.TlsToken, null, SoftHsm.TlsKeyLabel, null), SoftHsm.PinBytes);
        var module = Pkcs11Module.Load(SoftHsm.ModulePath);

        module.Library.Dispose(); // what a DI container, or a well-meant `using`, would do at shutdown
        LoadAndDropModules(8);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // The engine key TLS uses still signs a real handshake.
        await using var server = await TestUpstream.StartAsync(options => options.MutualTlsWithOwnCertificate(hsm.Ca.Certificate).AnsweringClientSubject());
        Assert.Equal(SoftHsm.TlsSubject, await Engine.TokenTlsTests.GetSubjectOverSslStreamAsync(server, identity.Certificate));

        // The token is still logged in (C_Finalize would have ended every session and the login with them): a session
        // opened now is told CKR_USER_ALREADY_LOGGED_IN, whatever PIN it offers.
        using (var session = Pkcs11Module.Load(SoftHsm.ModulePath).OpenSession(hsm.Slot(SoftHsm.TlsToken), readWrite: false))
        {
            Assert.False(session.Login("not-the-pin"u8));
        }

        // And the disposed library object still answers: it was not torn down underneath.
        Assert.Contains(module.GetSlotList(tokenPresent: true), slot => module.GetTokenInfo(slot).Label == SoftHsm.TlsToken);
    }

    [Fact]
    public void Missing_module_is_named()
    {
        var error = Assert.Throws<Pkcs11ModuleLoadException>(() => Pkcs11Module.Load("/usr/lib/no-such-card/pkcs11.so"));

        Assert.Equal("PKCS#11 module '/usr/lib/no-such-card/pkcs11.so': file not found (is the card middleware / softhsm2 / opensc installed?)", error.Message);
    }

    [Fact]
    public void Relative_module_path_is_refused_so_no_library_search_decides()
    {
        var error = Assert.Throws<Pkcs11ModuleLoadException>(() => Pkcs11Module.Load("libsofthsm2.so"));

        Assert.Contains("give the full path of the module", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_library_that_is_not_a_PKCS11_module_is_refused()
    {
        var error = Assert.Throws<Pkcs11ModuleLoadException>(() => Pkcs11Module.Load("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"));

        Assert.Equal("PKCS#11 module '/usr/lib/x86_64-linux-gnu/libcrypto.so.3': not a PKCS#11 module (no C_GetFunctionList export)", error.Message);
    }

    [Fact]
    public void File_that_is_not_a_shared_library_is_refused()
    {
        var path = hsm.WriteFile("not-a-module.so", "#!/bin/sh\necho not a module\n"u8.ToArray());

        var error = Assert.Throws<Pkcs11ModuleLoadException>(() => Pkcs11Module.Load(path));

        Assert.Equal($"PKCS#11 module '{path}': cannot be loaded as a shared library", error.Message);
    }

    [Fact]
    public void Return_values_are_named_with_their_code()
    {
        Assert.Equal("CKR_TOKEN_NOT_PRESENT (0xE0)", Pkcs11Errors.Describe(CKR.CKR_TOKEN_NOT_PRESENT));
        Assert.Equal("CKR_PIN_INCORRECT (0xA0)", Pkcs11Errors.Describe(CKR.CKR_PIN_INCORRECT));
        Assert.Equal("CKR 0x80000001", Pkcs11Errors.Describe((CKR)0x80000001));
        Assert.Equal("C_Login: CKR_PIN_LOCKED (0xA4)", Pkcs11Errors.Describe(new Pkcs11Exception("C_Login", CKR.CKR_PIN_LOCKED)));
    }

    [Fact]
    public void Engine_key_uri_is_percent_encoded_by_Pkcs11Interop_and_carries_no_pin_or_module()
    {
        var token = new TokenInfo(1, "card; #1", "m", "model", "00ff", 0);

        var uri = EngineKeyUri.ForPrivateKey(token, [0x01, 0xAB]);

        Assert.Equal("pkcs11:serial=00ff;token=card%3B%20%231;type=private;id=%01%AB", uri);
        Assert.Throws<ArgumentException>(() => EngineKeyUri.ForPrivateKey(token, []));
    }

    // Not inlined, so nothing keeps the dropped modules reachable from the test's frame when the finalizers run.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LoadAndDropModules(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _ = Pkcs11Module.Load(SoftHsm.ModulePath).GetSlotList(tokenPresent: true);
        }
    }
}
