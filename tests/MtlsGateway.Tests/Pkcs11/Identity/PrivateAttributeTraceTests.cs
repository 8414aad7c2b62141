using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using MtlsGateway.Pkcs11.Identity;
using MtlsGateway.TestSupport.SoftHsm2;

namespace MtlsGateway.Tests.Pkcs11.Identity;

/// <summary>
/// OpenSC's pkcs11-spy sits between the loader and SoftHSM2 and records every call: the trace shows what the gateway
/// asks the token for while loading and self-testing an identity.
/// </summary>
[Collection(SoftHsmGroup.Name)]
[SupportedOSPlatform("linux")]
public sealed partial class PrivateAttributeTraceTests(SoftHsm hsm)
{
    private const string SpyModule = "/usr/lib/x86_64-linux-gnu/pkcs11-spy.so";

    private static readonly string[] PrivateKeyComponents =
        ["CKA_PRIVATE_EXPONENT", "CKA_PRIME_1", "CKA_PRIME_2", "CKA_EXPONENT_1", "CKA_EXPONENT_2", "CKA_COEFFICIENT"];

    [Fact]
    public void Identity_loading_never_asks_the_token_for_private_key_material()
    {
        Assert.True(File.Exists(SpyModule), $"{SpyModule} is missing: install the Debian package opensc");
        var options = new Pkcs11IdentityOptions("traced", SoftHsm.ModulePath, SoftHsm.TlsToken, null, SoftHsm.TlsKeyLabel, null);
        // The engine is pinned to SoftHSM itself first, so only the Pkcs11Interop calls go through the spy.
        new Pkcs11IdentityLoader(TimeProvider.System).Load(options, SoftHsm.PinBytes).Dispose();
        var trace = System.IO.Path.Combine(hsm.TempDirectory, "spy.log");
        NativeEnvironment.Set("PKCS11SPY", SoftHsm.ModulePath);
        NativeEnvironment.Set("PKCS11SPY_OUTPUT", trace);

        using (var identity = new Pkcs11IdentityLoader(TimeProvider.System).Load(options with { ModulePath = SpyModule }, SoftHsm.PinBytes))
        {
            Assert.True(identity.Certificate.HasPrivateKey);
        }

        var log = ReadShared(trace);
        File.Delete(trace); // a spy trace holds the PIN in clear: debugging only, never kept
        Assert.Contains("C_Sign", log, StringComparison.Ordinal); // the possession proof was traced
        var requested = AttributeRequest().Matches(log).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("CKA_ID", requested);
        Assert.DoesNotContain(requested, PrivateKeyComponents.Contains);
        Assert.DoesNotContain("CKR_ATTRIBUTE_SENSITIVE", log, StringComparison.Ordinal); // nothing protected was asked for
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // "C_GetAttributeValue ... [in] pTemplate[1]:\n    CKA_ID   0000... / 0"
    [GeneratedRegex(@"C_GetAttributeValue\r?\n[^\n]*\r?\n\[in\] hSession[^\n]*\r?\n\[in\] hObject[^\n]*\r?\n\[in\] pTemplate\[\d+\]:\s*\r?\n\s+(CKA_\w+)")]
    private static partial Regex AttributeRequest();
}
