using System.Runtime.InteropServices;
using System.Text;
using MtlsGateway.Pkcs11.Tokens;

namespace MtlsGateway.Pkcs11.Interop;

/// <summary>
/// A loaded PKCS#11 module (the card issuer's middleware, OpenSC, SoftHSM2...). Loading the same path twice yields the
/// same library instance, and initialisation is idempotent ("already initialized" counts as success), so the binding
/// and OpenSSL's pkcs11 engine can share one module in one process.
/// The module is deliberately never finalized or unloaded: C_Finalize would end the engine's sessions and break every
/// TLS key in use (see pkcs11-facts.md). Thread-safe: modules are initialised with CKF_OS_LOCKING_OK.
/// </summary>
public sealed unsafe class Pkcs11Module
{
    private const nuint OsLockingOk = 0x2;
    private const nuint SerialSession = 0x4;
    private const nuint ReadWriteSession = 0x2;

    private readonly CK_FUNCTION_LIST* functions;

    private Pkcs11Module(string modulePath, CK_FUNCTION_LIST* functions)
    {
        ModulePath = modulePath;
        this.functions = functions;
    }

    public string ModulePath { get; }

    internal CK_FUNCTION_LIST* Functions => functions;

    /// <summary>Loads and initialises the module at <paramref name="modulePath"/> (a full path: no library search).</summary>
    /// <exception cref="Pkcs11ModuleLoadException">The file is missing or is not a PKCS#11 module.</exception>
    /// <exception cref="Pkcs11Exception">C_Initialize failed.</exception>
    public static Pkcs11Module Load(string modulePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modulePath);
        if (!NativeValues.IsSupportedPlatform)
        {
            throw new PlatformNotSupportedException("the PKCS#11 binding supports 64-bit Linux/Unix only (see Interop/NativeLayout.cs)");
        }

        if (!Path.IsPathFullyQualified(modulePath))
        {
            throw new Pkcs11ModuleLoadException(modulePath, "give the full path of the module, so no library search path decides which code is loaded");
        }

        if (!File.Exists(modulePath))
        {
            throw new Pkcs11ModuleLoadException(modulePath, "file not found (is the card middleware / softhsm2 / opensc installed?)");
        }

        IntPtr library;
        try
        {
            library = NativeLibrary.Load(modulePath);
        }
        catch (DllNotFoundException e)
        {
            throw new Pkcs11ModuleLoadException(modulePath, "cannot be loaded as a shared library", e);
        }

        if (!NativeLibrary.TryGetExport(library, "C_GetFunctionList", out var getFunctionList))
        {
            throw new Pkcs11ModuleLoadException(modulePath, "not a PKCS#11 module (no C_GetFunctionList export)");
        }

        CK_FUNCTION_LIST* functions = null;
        var rv = ((delegate* unmanaged<CK_FUNCTION_LIST**, nuint>)getFunctionList)(&functions);
        if (rv != Ckr.Ok || functions is null)
        {
            throw new Pkcs11Exception("C_GetFunctionList", rv);
        }

        var arguments = new CK_C_INITIALIZE_ARGS { flags = OsLockingOk };
        rv = functions->C_Initialize(&arguments);
        if (rv != Ckr.Ok && rv != Ckr.CryptokiAlreadyInitialized)
        {
            throw new Pkcs11Exception("C_Initialize", rv);
        }

        return new Pkcs11Module(modulePath, functions);
    }

    public IReadOnlyList<ulong> GetSlotList(bool tokenPresent)
    {
        // The slot count can change between the two calls (a reader plugged in): retry on CKR_BUFFER_TOO_SMALL.
        while (true)
        {
            nuint count = 0;
            Check("C_GetSlotList", functions->C_GetSlotList(tokenPresent ? (byte)1 : (byte)0, null, &count));
            var slots = new nuint[(int)count];
            fixed (nuint* buffer = slots)
            {
                var rv = functions->C_GetSlotList(tokenPresent ? (byte)1 : (byte)0, buffer, &count);
                if (rv == Ckr.BufferTooSmall)
                {
                    continue;
                }

                Check("C_GetSlotList", rv);
            }

            return slots.Take((int)count).Select(s => (ulong)s).ToArray();
        }
    }

    public SlotInfo GetSlotInfo(ulong slotId)
    {
        CK_SLOT_INFO info;
        Check("C_GetSlotInfo", functions->C_GetSlotInfo((nuint)slotId, &info));
        return new SlotInfo(slotId, Text(info.slotDescription, 64), Text(info.manufacturerID, 32), info.flags);
    }

    public TokenInfo GetTokenInfo(ulong slotId)
    {
        CK_TOKEN_INFO info;
        Check("C_GetTokenInfo", functions->C_GetTokenInfo((nuint)slotId, &info));
        return new TokenInfo(slotId, Text(info.label, 32), Text(info.manufacturerID, 32), Text(info.model, 16), Text(info.serialNumber, 16), info.flags);
    }

    /// <summary>Opens a session of this process on the token in <paramref name="slotId"/>. Not thread-safe: one user at a time.</summary>
    public Pkcs11Session OpenSession(ulong slotId, bool readWrite)
    {
        nuint session;
        var flags = SerialSession | (readWrite ? ReadWriteSession : 0);
        Check("C_OpenSession", functions->C_OpenSession((nuint)slotId, flags, null, IntPtr.Zero, &session));
        return new Pkcs11Session(this, session);
    }

    internal static void Check(string function, ulong returnValue)
    {
        if (returnValue != Ckr.Ok)
        {
            throw new Pkcs11Exception(function, returnValue);
        }
    }

    // PKCS#11 text fields are UTF-8, padded with blanks, not NUL-terminated.
    private static string Text(byte* field, int length) =>
        Encoding.UTF8.GetString(field, length).TrimEnd(' ', '\0');
}
