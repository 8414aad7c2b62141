using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;

namespace MtlsGateway.Pkcs11.Engine;

/// <summary>
/// OpenSSL's pkcs11 engine (libp11, Debian package libengine-pkcs11-openssl), pinned to one PKCS#11 module. TLS on
/// Linux signs through it: SslStream needs an OpenSSL EVP_PKEY, which a managed C_Sign wrapper cannot provide.
/// The engine is a process-wide OpenSSL object and libp11 loads one module per process, so the host creates exactly
/// one instance (a singleton) and every token identity in the process uses that module.
/// The functional reference taken here is never released: releasing the last one would let libp11 finalize the module
/// under live TLS keys.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class Pkcs11Engine
{
    private const string EngineId = "pkcs11";
    private readonly Lock gate = new();
    private readonly IntPtr engine;

    private Pkcs11Engine(IntPtr engine, string modulePath)
    {
        this.engine = engine;
        ModulePath = modulePath;
    }

    public string ModulePath { get; }

    /// <exception cref="EngineKeyException">The engine is not installed or does not accept the module.</exception>
    public static Pkcs11Engine Open(string modulePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modulePath);
        var engine = LibCrypto.ENGINE_by_id(EngineId);
        if (engine == IntPtr.Zero)
        {
            throw new EngineKeyException($"OpenSSL engine '{EngineId}' not found (install libengine-pkcs11-openssl): {LibCrypto.TakeError()}");
        }

        try
        {
            // MODULE_PATH before the first key load, or libp11 falls back to p11-kit-proxy and every registered module.
            if (!Control(engine, "MODULE_PATH", Encoding.UTF8.GetBytes(modulePath)))
            {
                throw new EngineKeyException($"OpenSSL engine '{EngineId}' refused MODULE_PATH '{modulePath}': {LibCrypto.TakeError()}");
            }

            if (LibCrypto.ENGINE_init(engine) != 1)
            {
                throw new EngineKeyException($"OpenSSL engine '{EngineId}' failed to initialise with module '{modulePath}': {LibCrypto.TakeError()}");
            }
        }
        finally
        {
            _ = LibCrypto.ENGINE_free(engine); // the structural reference; ENGINE_init's functional one stays
        }

        return new Pkcs11Engine(engine, modulePath);
    }

    /// <summary>
    /// Hands the PIN to the engine by control command (never in a URI). libp11 keeps its own copy to log in again after
    /// a token comes back, so only give it a PIN the token has verified: a wrong stored PIN would be retried by libp11
    /// on every handshake after a card re-insert and lock the card.
    /// </summary>
    public void SetPin(ReadOnlySpan<byte> pin)
    {
        if (pin.Contains((byte)0))
        {
            throw new ArgumentException("the PIN contains a NUL byte, which cannot be handed to the engine", nameof(pin));
        }

        lock (gate)
        {
            if (!Control(engine, "PIN", pin))
            {
                throw new EngineKeyException($"OpenSSL engine '{EngineId}' refused the PIN control command: {LibCrypto.TakeError()}");
            }
        }
    }

    /// <summary>Loads a private key handle by RFC 7512 URI; the key stays on the token.</summary>
    /// <exception cref="EngineKeyException">The engine could not load the key.</exception>
    public SafeEvpPKeyHandle LoadPrivateKey(string pkcs11Uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pkcs11Uri);
        lock (gate)
        {
            try
            {
                return SafeEvpPKeyHandle.OpenPrivateKeyFromEngine(EngineId, pkcs11Uri);
            }
            catch (CryptographicException e)
            {
                // The message is opaque ("failed loading private key"); the identity loader diagnoses through Pkcs11Interop.
                throw new EngineKeyException($"OpenSSL engine '{EngineId}' could not load {pkcs11Uri}: {e.Message}", e);
            }
        }
    }

    // Copies the argument into a NUL-terminated native buffer, zeroed and freed afterwards (it may be the PIN).
    private static bool Control(IntPtr engine, string command, ReadOnlySpan<byte> argument)
    {
        var commandBytes = Encoding.ASCII.GetBytes(command + "\0");
        var length = (nuint)argument.Length + 1;
        var buffer = (byte*)NativeMemory.AllocZeroed(length);
        try
        {
            argument.CopyTo(new Span<byte>(buffer, argument.Length));
            fixed (byte* c = commandBytes)
            {
                return LibCrypto.ENGINE_ctrl_cmd_string(engine, c, buffer, 0) == 1;
            }
        }
        finally
        {
            NativeMemory.Clear(buffer, length);
            NativeMemory.Free(buffer);
        }
    }
}
