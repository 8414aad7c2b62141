using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Modules;

/// <summary>
/// Pkcs11Interop loads modules with dlopen/dlsym/dlclose/dlerror imported from a library named "libdl". glibc 2.34 and
/// later (Debian 12, Ubuntu 22.04+) keep those functions in libc.so.6 and ship no plain libdl.so, so the import fails
/// with DllNotFoundException. Pkcs11Interop's maintainer points users to a DllImportResolver that maps the name (its
/// issues 168 and 239); this is that map, registered once per process for Pkcs11Interop's assembly, before the first
/// module is loaded.
/// </summary>
internal static class DynamicLinkerImports
{
    private const string ImportedName = "libdl";

    // libc.so.6 first (glibc 2.34+), then libdl.so.2 (older glibc, where the functions still live there).
    private static readonly string[] Candidates = ["libc.so.6", "libdl.so.2"];

    static DynamicLinkerImports() =>
        NativeLibrary.SetDllImportResolver(typeof(IPkcs11Library).Assembly, Resolve);

    /// <summary>Makes sure the map is registered (the static constructor runs once per process).</summary>
    public static void EnsureRegistered()
    {
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!string.Equals(libraryName, ImportedName, StringComparison.Ordinal) || OperatingSystem.IsWindows())
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out var handle) && NativeLibrary.TryGetExport(handle, "dlopen", out _))
            {
                return handle;
            }
        }

        return IntPtr.Zero; // the runtime's own search then reports the failure
    }
}
