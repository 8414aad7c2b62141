using System.Runtime.InteropServices;

namespace MtlsGateway.TestSupport.SoftHsm2;

/// <summary>Environment variables that native code (SoftHSM2, libp11, pkcs11-spy) sees too.</summary>
public static class NativeEnvironment
{
    /// <summary>Sets a variable for native code too: .NET keeps its own copy of the environment on Unix.</summary>
    public static void Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (SetNative(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed");
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetNative(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
