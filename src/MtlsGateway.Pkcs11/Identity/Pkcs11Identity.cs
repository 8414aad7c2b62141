using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Pkcs11.Interop;
using MtlsGateway.Pkcs11.Tokens;

namespace MtlsGateway.Pkcs11.Identity;

/// <summary>
/// What to log about a loaded identity: where the key is and which certificate it proves. No secrets.
/// <see cref="PinCheckedByToken"/> is false when the token was already logged in by this process (another identity on
/// the same token, or a reload): PKCS#11 then accepts any PIN unchecked, and the engine keeps the PIN it had.
/// </summary>
public sealed record Pkcs11IdentityDescription(
    string Name, string TokenLabel, string TokenSerial, string KeyIdHex, string KeyType, string Subject, DateTimeOffset NotAfter,
    bool PinCheckedByToken)
{
    public override string ToString() =>
        $"outbound identity '{Name}': token '{TokenLabel}' serial {TokenSerial}, {KeyType} key id {KeyIdHex}, " +
        $"certificate '{Subject}' valid until {NotAfter.ToString("u", CultureInfo.InvariantCulture)}" +
        (PinCheckedByToken ? string.Empty : " (token already logged in: PIN not re-checked)");
}

/// <summary>
/// A token-backed client certificate: <see cref="Certificate"/> carries an OpenSSL engine private key (the key never
/// leaves the token), ready for SslClientAuthenticationOptions / SocketsHttpHandler.SslOptions.
/// </summary>
public sealed class Pkcs11Identity : IDisposable
{
    private readonly Pkcs11Module module;

    internal Pkcs11Identity(X509Certificate2 certificate, Pkcs11IdentityDescription description, Pkcs11Module module, TokenSelector token)
    {
        Certificate = certificate;
        Description = description;
        this.module = module;
        Token = token;
    }

    public X509Certificate2 Certificate { get; }

    public Pkcs11IdentityDescription Description { get; }

    public TokenSelector Token { get; }

    /// <summary>Cheap probe (slot list + token info, no login, no signing) for readiness and recovery decisions.</summary>
    public bool IsTokenPresent() => TokenFinder.IsPresent(module, Token);

    public void Dispose() => Certificate.Dispose();
}
