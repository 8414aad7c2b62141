using MtlsGateway.Pkcs11.Modules;
using Net.Pkcs11Interop.Common;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>A logged-in session on the selected token, for the operator verbs (`token enroll`, `token import-cert`).</summary>
public static class TokenSessions
{
    /// <exception cref="TokenNotFoundException">No present token matches.</exception>
    /// <exception cref="PinIncorrectException">Wrong PIN; do not retry on your own.</exception>
    /// <exception cref="Pkcs11Exception">Any other token error.</exception>
    public static TokenSession OpenLoggedIn(Pkcs11Module module, TokenSelector selector, ReadOnlySpan<byte> pin, bool readWrite)
    {
        var token = TokenFinder.Find(module, selector);
        var session = module.OpenSession(token.SlotId, readWrite);
        try
        {
            session.Login(pin);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
