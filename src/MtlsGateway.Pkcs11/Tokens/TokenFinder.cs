using MtlsGateway.Pkcs11.Interop;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>Finds the slot holding the selected token. Needs no login. Also the cheap "is the token still there" probe.</summary>
public static class TokenFinder
{
    /// <exception cref="TokenNotFoundException">No present token matches.</exception>
    /// <exception cref="InvalidOperationException">More than one token matches: the selector is ambiguous.</exception>
    public static TokenInfo Find(Pkcs11Module module, TokenSelector selector)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(selector);
        var matches = PresentTokens(module).Where(selector.Matches).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new TokenNotFoundException(selector, module.ModulePath),
            _ => throw new InvalidOperationException($"{selector} is ambiguous: {matches.Count} tokens match; configure the serial number too"),
        };
    }

    /// <summary>
    /// True when the selected token is present and answers. For readiness checks and for deciding when to reload an
    /// identity after a card pull or an HSM restart; any module error counts as "not there" (fail closed).
    /// </summary>
    public static bool IsPresent(Pkcs11Module module, TokenSelector selector)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(selector);
        try
        {
            return PresentTokens(module).Count(selector.Matches) == 1;
        }
        catch (Pkcs11Exception)
        {
            return false;
        }
    }

    private static IEnumerable<TokenInfo> PresentTokens(Pkcs11Module module)
    {
        foreach (var slot in module.GetSlotList(tokenPresent: true))
        {
            TokenInfo token;
            try
            {
                token = module.GetTokenInfo(slot);
            }
            catch (Pkcs11Exception e) when (e.TokenGone)
            {
                continue; // pulled between the two calls
            }

            yield return token;
        }
    }
}
