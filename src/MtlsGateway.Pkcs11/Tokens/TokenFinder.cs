using MtlsGateway.Pkcs11.Modules;
using Net.Pkcs11Interop.Common;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>Finds the slot holding the selected token. Needs no login. Also the cheap "is the token still there" probe.</summary>
public static class TokenFinder
{
    /// <exception cref="TokenNotFoundException">No present token matches (slots that answered with an error are named).</exception>
    /// <exception cref="InvalidOperationException">More than one token matches: the selector is ambiguous.</exception>
    /// <exception cref="Pkcs11Exception">The module could not list its slots.</exception>
    public static TokenInfo Find(Pkcs11Module module, TokenSelector selector)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(selector);
        var failedSlots = new List<string>();
        var matches = PresentTokens(module, failedSlots).Where(selector.Matches).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new TokenNotFoundException(selector, module.ModulePath, failedSlots),
            _ => throw new InvalidOperationException($"{selector} is ambiguous: {matches.Count} tokens match; configure the serial number too"),
        };
    }

    /// <summary>
    /// True when the selected token is present and answers. For readiness checks and for deciding when to reload an
    /// identity after a card pull or an HSM restart; any module error counts as "not there" (fail closed), but a slot
    /// that errors does not hide a token in another slot.
    /// </summary>
    public static bool IsPresent(Pkcs11Module module, TokenSelector selector)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(selector);
        try
        {
            return PresentTokens(module, []).Count(selector.Matches) == 1;
        }
        catch (Pkcs11Exception)
        {
            return false;
        }
    }

    // A slot whose token answers C_GetTokenInfo with an error (CKR_GENERAL_ERROR from a broken token, a token pulled
    // between the two calls) is skipped, and noted in failedSlots, so the other slots are still searched.
    private static IEnumerable<TokenInfo> PresentTokens(Pkcs11Module module, List<string> failedSlots)
    {
        foreach (var slot in module.GetSlotList(tokenPresent: true))
        {
            TokenInfo token;
            try
            {
                token = module.GetTokenInfo(slot);
            }
            catch (Pkcs11Exception e)
            {
                if (!e.IsTokenGone())
                {
                    failedSlots.Add($"slot 0x{slot:x}: {Pkcs11Errors.Describe(e)}");
                }

                continue;
            }

            yield return token;
        }
    }
}
