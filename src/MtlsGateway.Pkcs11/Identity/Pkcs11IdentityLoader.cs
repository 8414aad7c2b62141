using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Pkcs11.Engine;
using MtlsGateway.Pkcs11.Modules;
using MtlsGateway.Pkcs11.Tokens;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Identity;

/// <summary>
/// Loads an outbound identity from a token and self-tests it: token found, one login with the PIN through Pkcs11Interop
/// (so a wrong PIN costs one attempt, and the engine never tries it), key found, certificate read from the token by the
/// key's CKA_ID (or the one given), validity checked, possession proved by C_Sign and again through the engine key.
/// Register one instance per process (a singleton): it owns the process's pkcs11 engine, pinned to the first module it
/// is asked for; OpenSSL's engine serves one module per process, so a second module is refused with a clear message.
/// The modules it loads stay loaded and initialised for the life of the process (<see cref="Pkcs11Module"/>).
/// Thread-safe.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class Pkcs11IdentityLoader
{
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Pkcs11Module> modules = new(StringComparer.Ordinal);
    private Pkcs11Engine? engine;

    public Pkcs11IdentityLoader(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        this.time = time;
    }

    /// <param name="options">Where the key is.</param>
    /// <param name="pin">The user PIN, read by the host from a file or an environment variable; the caller zeroes it.</param>
    /// <param name="certificate">A certificate from a file, or null to read the one with the key's CKA_ID from the token.</param>
    /// <exception cref="OutboundIdentityException">Anything that makes the identity unusable, with its cause.</exception>
    public Pkcs11Identity Load(Pkcs11IdentityOptions options, ReadOnlySpan<byte> pin, X509Certificate2? certificate = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw Fail(options, IdentityFailure.InvalidConfiguration, problem);
        }

        if (pin.Contains((byte)0))
        {
            throw Fail(options, IdentityFailure.InvalidConfiguration, "the PIN contains a NUL byte, which the OpenSSL engine cannot take; no login attempted");
        }

        lock (gate)
        {
            var module = LoadModule(options);
            var token = FindToken(options, module);
            using var session = Open(options, module, token);
            var pinChecked = Login(options, module, token, session, pin);
            var (privateKey, keyId, keyType) = FindKey(options, token, session);
            var tokenCertificate = certificate is null ? ReadCertificate(options, token, session, keyId) : null;
            var chosen = certificate ?? tokenCertificate!;
            try
            {
                CheckValidity(options, chosen);
                if (!Guard(options, token, () => PossessionProof.Verify(session.Session, privateKey, keyType, chosen)))
                {
                    throw Fail(options, IdentityFailure.CertificateMismatch,
                        $"certificate '{chosen.Subject}' does not match {TokenKeys.KeyTypeName(keyType)} key id {Convert.ToHexStringLower(keyId)} on token '{token.Label}' (the token's signature does not verify with the certificate's public key)");
                }

                // Keep this session open until the engine holds the key, so the token stays logged in.
                var withKey = AttachEngineKey(options, module, token, keyId, keyType, pinChecked ? pin : [], chosen);
                var description = new Pkcs11IdentityDescription(
                    options.Name, token.Label, token.SerialNumber, Convert.ToHexStringLower(keyId), TokenKeys.KeyTypeName(keyType), chosen.Subject, chosen.NotAfter.ToUniversalTime(), pinChecked);
                return new Pkcs11Identity(withKey, description, module, new TokenSelector(token.Label, token.SerialNumber));
            }
            finally
            {
                tokenCertificate?.Dispose();
            }
        }
    }

    private Pkcs11Module LoadModule(Pkcs11IdentityOptions options)
    {
        if (modules.TryGetValue(options.ModulePath, out var loaded))
        {
            return loaded;
        }

        try
        {
            return modules[options.ModulePath] = Pkcs11Module.Load(options.ModulePath);
        }
        catch (Pkcs11ModuleLoadException e)
        {
            throw Fail(options, IdentityFailure.ModuleMissing, e.Message, e);
        }
        catch (Pkcs11Exception e)
        {
            throw Fail(options, IdentityFailure.TokenError, $"PKCS#11 module '{options.ModulePath}' failed to start: {Pkcs11Errors.Describe(e)}", e);
        }
    }

    private static TokenInfo FindToken(Pkcs11IdentityOptions options, Pkcs11Module module)
    {
        try
        {
            var token = TokenFinder.Find(module, options.Token);
            if (token.UserPinLocked)
            {
                throw Fail(options, IdentityFailure.PinLocked, $"the user PIN of token '{token.Label}' is locked; unblock it with the SO PIN (no login attempted)");
            }

            return token;
        }
        catch (TokenNotFoundException e)
        {
            throw Fail(options, IdentityFailure.TokenNotFound, e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            throw Fail(options, IdentityFailure.InvalidConfiguration, e.Message, e);
        }
        catch (Pkcs11Exception e)
        {
            throw Fail(options, IdentityFailure.TokenError, $"cannot list tokens: {Pkcs11Errors.Describe(e)}", e);
        }
    }

    private static TokenSession Open(Pkcs11IdentityOptions options, Pkcs11Module module, TokenInfo token) =>
        Guard(options, token, () => module.OpenSession(token.SlotId, readWrite: false));

    private static bool Login(Pkcs11IdentityOptions options, Pkcs11Module module, TokenInfo token, TokenSession session, ReadOnlySpan<byte> pin)
    {
        try
        {
            return session.Login(pin);
        }
        catch (PinIncorrectException e)
        {
            throw Fail(options, IdentityFailure.WrongPin,
                $"wrong PIN for token '{token.Label}' ({e.Message}); not retried, a card locks after a few wrong PINs{TriesLeft(module, token)}", e);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_PIN_LOCKED)
        {
            throw Fail(options, IdentityFailure.PinLocked, $"the user PIN of token '{token.Label}' is locked ({Pkcs11Errors.Describe(e)})", e);
        }
        catch (Pkcs11Exception e)
        {
            throw TokenFailure(options, token, e);
        }
    }

    // What the token says about its PIN after a refusal (the flags are public: no login needed). A token that cannot
    // tell adds nothing to the message.
    private static string TriesLeft(Pkcs11Module module, TokenInfo token)
    {
        TokenInfo after;
        try
        {
            after = module.GetTokenInfo(token.SlotId);
        }
        catch (Pkcs11Exception)
        {
            return string.Empty;
        }

        return after switch
        {
            { UserPinLocked: true } => "; the token now reports the user PIN locked",
            { UserPinFinalTry: true } => "; the token reports one try left",
            { UserPinCountLow: true } => "; the token reports few tries left",
            _ => string.Empty,
        };
    }

    private static (IObjectHandle Handle, byte[] Id, CKK KeyType) FindKey(Pkcs11IdentityOptions options, TokenInfo token, TokenSession tokenSession) =>
        Guard(options, token, () =>
        {
            var session = tokenSession.Session;
            var wanted = options.KeyLabel is { Length: > 0 } label ? $"key labelled '{label}'" : $"key id {options.KeyIdHex}";
            var keys = TokenKeys.Find(session, CKO.CKO_PRIVATE_KEY, options.KeyLabel is { Length: > 0 } ? options.KeyLabel : null, options.KeyId());
            if (keys.Count == 0)
            {
                throw Fail(options, IdentityFailure.KeyNotFound, $"no private {wanted} on token '{token.Label}'");
            }

            if (keys.Count > 1)
            {
                throw Fail(options, IdentityFailure.KeyAmbiguous, $"{keys.Count} private keys match {wanted} on token '{token.Label}'; configure KeyId too");
            }

            var id = session.TryReadBytes(keys[0], CKA.CKA_ID) ?? [];
            if (id.Length == 0)
            {
                throw Fail(options, IdentityFailure.KeyNotFound, $"the private {wanted} on token '{token.Label}' has no CKA_ID, which the engine needs to find it");
            }

            var keyType = (CKK)session.ReadULong(keys[0], CKA.CKA_KEY_TYPE);
            if (keyType is not (CKK.CKK_EC or CKK.CKK_RSA))
            {
                throw Fail(options, IdentityFailure.KeyNotFound, $"the private {wanted} on token '{token.Label}' is a {TokenKeys.KeyTypeName(keyType)}; only EC and RSA keys are supported");
            }

            return (keys[0], id, keyType);
        });

    private X509Certificate2 ReadCertificate(Pkcs11IdentityOptions options, TokenInfo token, TokenSession tokenSession, byte[] keyId)
    {
        var session = tokenSession.Session;
        List<X509Certificate2> certificates;
        try
        {
            certificates = Guard(options, token, () => TokenKeys.Find(session, CKO.CKO_CERTIFICATE, null, keyId)
                .Select(handle => X509CertificateLoader.LoadCertificate(session.ReadBytes(handle, CKA.CKA_VALUE)))
                .ToList());
        }
        catch (CryptographicException e)
        {
            throw Fail(options, IdentityFailure.CertificateMissing,
                $"a certificate object with id {Convert.ToHexStringLower(keyId)} on token '{token.Label}' is not a readable X.509 certificate", e);
        }

        if (certificates.Count == 0)
        {
            throw Fail(options, IdentityFailure.CertificateMissing,
                $"no certificate with id {Convert.ToHexStringLower(keyId)} on token '{token.Label}' (import it with `token import-cert`, or configure a certificate file)");
        }

        // After a renewal both certificates may sit next to the key: take the current one that lasts longest.
        var now = time.GetUtcNow();
        var chosen = certificates
            .OrderByDescending(c => c.NotBefore.ToUniversalTime() <= now && now <= c.NotAfter.ToUniversalTime())
            .ThenByDescending(c => c.NotAfter)
            .First();
        foreach (var other in certificates.Where(c => !ReferenceEquals(c, chosen)))
        {
            other.Dispose();
        }

        return chosen;
    }

    private void CheckValidity(Pkcs11IdentityOptions options, X509Certificate2 certificate)
    {
        var now = time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime())
        {
            throw Fail(options, IdentityFailure.CertificateNotYetValid, $"certificate '{certificate.Subject}' is not valid before {certificate.NotBefore.ToUniversalTime():u}");
        }

        if (now > certificate.NotAfter.ToUniversalTime())
        {
            throw Fail(options, IdentityFailure.CertificateExpired, $"certificate '{certificate.Subject}' expired at {certificate.NotAfter.ToUniversalTime():u}");
        }
    }

    // verifiedPin is empty when the token was already logged in and so did not check the PIN given now: the engine
    // then keeps the PIN it has (see Pkcs11Engine.SetPin for why an unverified PIN must never reach it).
    private X509Certificate2 AttachEngineKey(
        Pkcs11IdentityOptions options, Pkcs11Module module, TokenInfo token, byte[] keyId, CKK keyType, ReadOnlySpan<byte> verifiedPin, X509Certificate2 certificate)
    {
        var engine = Engine(options);
        var uri = EngineKeyUri.ForPrivateKey(token, keyId);
        SafeEvpPKeyHandle handle;
        try
        {
            if (!verifiedPin.IsEmpty)
            {
                engine.SetPin(verifiedPin);
            }

            handle = engine.LoadPrivateKey(uri);
        }
        catch (EngineKeyException e)
        {
            // Token, PIN and key were already proved through Pkcs11Interop; find out what changed since, without another login.
            var cause = TokenFinder.IsPresent(module, options.Token) ? IdentityFailure.TokenError : IdentityFailure.TokenNotFound;
            throw Fail(options, cause, $"the OpenSSL pkcs11 engine could not load key {uri} ({e.Message})", e);
        }

        using (handle)
        {
            using AsymmetricAlgorithm key = keyType == CKK.CKK_EC ? new ECDsaOpenSsl(handle) : new RSAOpenSsl(handle);
            X509Certificate2 withKey;
            try
            {
                withKey = key is ECDsa ec ? certificate.CopyWithPrivateKey(ec) : certificate.CopyWithPrivateKey((RSA)key);
            }
            catch (CryptographicException e)
            {
                throw Fail(options, IdentityFailure.CertificateMismatch, $"certificate '{certificate.Subject}' does not match key {uri}", e);
            }

            if (!PossessionProof.Verify(key, certificate))
            {
                withKey.Dispose();
                throw Fail(options, IdentityFailure.CertificateMismatch, $"a signature made through the engine key {uri} does not verify with certificate '{certificate.Subject}'");
            }

            return withKey;
        }
    }

    private Pkcs11Engine Engine(Pkcs11IdentityOptions options)
    {
        try
        {
            engine ??= Pkcs11Engine.Open(options.ModulePath);
        }
        catch (EngineKeyException e)
        {
            throw Fail(options, IdentityFailure.EngineUnavailable, e.Message, e);
        }

        if (!string.Equals(Path.GetFullPath(engine.ModulePath), Path.GetFullPath(options.ModulePath), StringComparison.Ordinal))
        {
            throw Fail(options, IdentityFailure.InvalidConfiguration,
                $"module '{options.ModulePath}' differs from '{engine.ModulePath}' already used: OpenSSL's pkcs11 engine serves one module per process");
        }

        return engine;
    }

    private static T Guard<T>(Pkcs11IdentityOptions options, TokenInfo token, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Pkcs11Exception e)
        {
            throw TokenFailure(options, token, e);
        }
        catch (UnreadableAttributeException e)
        {
            throw Fail(options, IdentityFailure.TokenError, $"token '{token.Label}': {e.Message}", e);
        }
    }

    private static OutboundIdentityException TokenFailure(Pkcs11IdentityOptions options, TokenInfo token, Pkcs11Exception e) =>
        e.IsTokenGone()
            ? Fail(options, IdentityFailure.TokenNotFound, $"token '{token.Label}' went away ({Pkcs11Errors.Describe(e)})", e)
            : Fail(options, IdentityFailure.TokenError, $"token '{token.Label}': {Pkcs11Errors.Describe(e)}", e);

    private static OutboundIdentityException Fail(Pkcs11IdentityOptions options, IdentityFailure failure, string detail, Exception? inner = null) =>
        new(options.Name, failure, detail, inner);
}
