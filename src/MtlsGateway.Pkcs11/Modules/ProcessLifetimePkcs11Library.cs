using System.Diagnostics.CodeAnalysis;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Modules;

#pragma warning disable RS0030 // the one place allowed to touch Pkcs11Interop's concrete Linux/Unix x64 library type

/// <summary>
/// Pkcs11Interop's library object for 64-bit Linux/Unix (HighLevelAPI80), made safe to share with OpenSSL's pkcs11
/// engine: disposing it does nothing, and neither it nor its low-level library is ever finalized. Pkcs11Interop's own
/// Dispose calls C_Finalize and unloads the module, and its low-level finalizer unloads the module; either would end
/// the login and the sessions the engine's TLS keys live on (see pkcs11-facts.md). So a module loaded here stays
/// initialised and loaded until the process exits, whoever disposes or drops this object.
/// </summary>
internal sealed class ProcessLifetimePkcs11Library : Net.Pkcs11Interop.HighLevelAPI80.Pkcs11Library
{
    [SuppressMessage("Usage", "CA1816:Dispose methods should call SuppressFinalize", Justification = "The low-level library's finalizer would unload the module: it must never run.")]
    public ProcessLifetimePkcs11Library(Pkcs11InteropFactories factories, string modulePath)
        : base(factories, modulePath, AppType.MultiThreaded)
    {
        GC.SuppressFinalize(_pkcs11Library);
        GC.SuppressFinalize(this);
    }

    /// <summary>The slot with this id, without asking the module for its slot list again.</summary>
    public ISlot Slot(ulong slotId) => Factories.SlotFactory.Create(Factories, _pkcs11Library, slotId);

    [SuppressMessage("Usage", "CA2215:Dispose methods should call base class dispose", Justification = "The base class would call C_Finalize and unload the module under the engine's TLS keys.")]
    protected override void Dispose(bool disposing)
    {
    }
}
