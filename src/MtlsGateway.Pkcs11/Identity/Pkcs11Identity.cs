using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Pkcs11.Modules;
using MtlsGateway.Pkcs11.Tokens;

namespace MtlsGateway.Pkcs11.Identity;

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
