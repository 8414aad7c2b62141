using System.Runtime.InteropServices;

namespace MtlsGateway.Pkcs11.Engine;

/// <summary>The few OpenSSL 3 ENGINE calls .NET does not expose. Same libcrypto instance .NET itself uses.</summary>
internal static unsafe partial class LibCrypto
{
    private const string Library = "libcrypto.so.3";

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ENGINE_by_id(string id);

    [LibraryImport(Library)]
    public static partial int ENGINE_ctrl_cmd_string(IntPtr engine, byte* command, byte* argument, int optional);

    [LibraryImport(Library)]
    public static partial int ENGINE_init(IntPtr engine);

    [LibraryImport(Library)]
    public static partial int ENGINE_free(IntPtr engine);

    [LibraryImport(Library)]
    public static partial nuint ERR_get_error();

    [LibraryImport(Library)]
    public static partial void ERR_error_string_n(nuint error, byte* buffer, nuint length);

    [LibraryImport(Library)]
    public static partial void ERR_clear_error();

    /// <summary>The oldest queued OpenSSL error as text (no secrets: OpenSSL error strings are fixed texts), then clears the queue.</summary>
    public static string TakeError()
    {
        var error = ERR_get_error();
        ERR_clear_error();
        if (error == 0)
        {
            return "no OpenSSL error detail";
        }

        var buffer = stackalloc byte[256];
        ERR_error_string_n(error, buffer, 256);
        return Marshal.PtrToStringUTF8((IntPtr)buffer) ?? "unknown OpenSSL error";
    }
}
