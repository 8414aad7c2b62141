using MtlsGateway.Pkcs11.Tokens;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Modules;

/// <summary>
/// A PKCS#11 module (the card issuer's middleware, OpenSC, SoftHSM2...) loaded through Pkcs11Interop. The module stays
/// initialised and loaded for the rest of the process (<see cref="ProcessLifetimePkcs11Library"/>): OpenSSL's pkcs11
/// engine shares it, and C_Finalize would end the engine's sessions and break every TLS key in use. Loading a module
/// this process already initialised (an earlier load, or the engine) succeeds: Pkcs11Interop treats
/// CKR_CRYPTOKI_ALREADY_INITIALIZED as success. Thread-safe: initialised with CKF_OS_LOCKING_OK.
/// </summary>
public sealed class Pkcs11Module
{
    private const int SlotListAttempts = 3;

    private readonly ProcessLifetimePkcs11Library library;

    private Pkcs11Module(string modulePath, ProcessLifetimePkcs11Library library)
    {
        ModulePath = modulePath;
        this.library = library;
    }

    public string ModulePath { get; }

    /// <summary>Pkcs11Interop's library object; disposing it does nothing (tests show that).</summary>
    internal IPkcs11Library Library => library;

    /// <summary>Loads and initialises the module at <paramref name="modulePath"/> (a full path: no library search).</summary>
    /// <exception cref="Pkcs11ModuleLoadException">The file is missing or is not a PKCS#11 module.</exception>
    /// <exception cref="Pkcs11Exception">C_Initialize failed.</exception>
    public static Pkcs11Module Load(string modulePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modulePath);
        if (!Environment.Is64BitProcess || OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("PKCS#11 modules are supported on 64-bit Linux/Unix only (see Modules/ProcessLifetimePkcs11Library.cs)");
        }

        if (!Path.IsPathFullyQualified(modulePath))
        {
            throw new Pkcs11ModuleLoadException(modulePath, "give the full path of the module, so no library search path decides which code is loaded");
        }

        if (!File.Exists(modulePath))
        {
            throw new Pkcs11ModuleLoadException(modulePath, "file not found (is the card middleware / softhsm2 / opensc installed?)");
        }

        DynamicLinkerImports.EnsureRegistered();
        try
        {
            return new Pkcs11Module(modulePath, new ProcessLifetimePkcs11Library(new Pkcs11InteropFactories(), modulePath));
        }
        catch (LibraryArchitectureException e)
        {
            throw new Pkcs11ModuleLoadException(modulePath, "built for another architecture than this 64-bit process", e);
        }
        catch (UnmanagedException e) when (e.Message.Contains("C_GetFunctionList", StringComparison.Ordinal))
        {
            throw new Pkcs11ModuleLoadException(modulePath, "not a PKCS#11 module (no C_GetFunctionList export)", e);
        }
        catch (UnmanagedException e)
        {
            throw new Pkcs11ModuleLoadException(modulePath, "cannot be loaded as a shared library", e);
        }
    }

    /// <summary>The slots, or only those holding a token.</summary>
    /// <exception cref="Pkcs11Exception">C_GetSlotList failed.</exception>
    public IReadOnlyList<ulong> GetSlotList(bool tokenPresent)
    {
        // A reader plugged in between Pkcs11Interop's two C_GetSlotList calls gives CKR_BUFFER_TOO_SMALL: ask again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return [.. Library.GetSlotList(tokenPresent ? SlotsType.WithTokenPresent : SlotsType.WithOrWithoutTokenPresent).Select(slot => slot.SlotId)];
            }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_BUFFER_TOO_SMALL && attempt < SlotListAttempts)
            {
            }
        }
    }

    /// <exception cref="Pkcs11Exception">C_GetSlotInfo failed.</exception>
    public SlotInfo GetSlotInfo(ulong slotId) => SlotInfo.From(library.Slot(slotId).GetSlotInfo());

    /// <exception cref="Pkcs11Exception">C_GetTokenInfo failed (no token, token gone, token broken).</exception>
    public TokenInfo GetTokenInfo(ulong slotId) => TokenInfo.From(library.Slot(slotId).GetTokenInfo());

    /// <summary>Opens a session of this process on the token in <paramref name="slotId"/>; one user at a time.</summary>
    /// <exception cref="Pkcs11Exception">C_OpenSession failed.</exception>
    public TokenSession OpenSession(ulong slotId, bool readWrite) =>
        new(library.Slot(slotId).OpenSession(readWrite ? SessionType.ReadWrite : SessionType.ReadOnly));
}
