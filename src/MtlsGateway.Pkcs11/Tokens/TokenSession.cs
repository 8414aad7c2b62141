using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>
/// One PKCS#11 session of this process on a token: Pkcs11Interop's <see cref="ISession"/> for the object work, plus the
/// rules about logging in. Not thread-safe (PKCS#11 sessions are single-threaded): give each concurrent user its own.
/// Disposing closes only this session (C_CloseSession), never logs out: login state belongs to the whole token, and
/// the OpenSSL engine's TLS keys depend on it. A token that is already gone when the session closes is not an error.
/// </summary>
public sealed class TokenSession : IDisposable
{
    private bool loginAttempted;

    internal TokenSession(ISession session)
    {
        Session = session;
    }

    /// <summary>The session, for finding objects, reading attributes, signing, generating and creating objects.</summary>
    public ISession Session { get; }

    /// <summary>
    /// Logs the normal user in: exactly one C_Login per session, never retried. "Already logged in" (by the engine or
    /// another session of this process) counts as success. The PIN is copied into a pinned array for Pkcs11Interop's
    /// byte[] overload and that copy is zeroed afterwards.
    /// </summary>
    /// <returns>
    /// True when the token checked the PIN; false when the token was already logged in, in which case the token answers
    /// CKR_USER_ALREADY_LOGGED_IN without looking at the PIN, so the PIN is unverified.
    /// </returns>
    /// <exception cref="PinIncorrectException">The token refused the PIN. Do not retry on your own.</exception>
    /// <exception cref="Pkcs11Exception">Any other token error (CKR_PIN_LOCKED, token gone...).</exception>
    /// <exception cref="InvalidOperationException">This session already tried to log in.</exception>
    public bool Login(ReadOnlySpan<byte> pin)
    {
        if (loginAttempted)
        {
            throw new InvalidOperationException("this session already tried to log in; a PIN is tried once");
        }

        loginAttempted = true;
        var copy = GC.AllocateArray<byte>(pin.Length, pinned: true);
        try
        {
            pin.CopyTo(copy);
#pragma warning disable RS0030 // the one C_Login of the gateway
            Session.Login(CKU.CKU_USER, copy);
#pragma warning restore RS0030
            return true;
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            return false;
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_PIN_INCORRECT)
        {
            throw new PinIncorrectException(e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    public void Dispose()
    {
        try
        {
            Session.Dispose();
        }
        catch (Pkcs11Exception)
        {
            // C_CloseSession failed: the token or its session is gone, and with it everything this session held.
        }
    }
}
