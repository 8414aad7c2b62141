using System.Runtime.InteropServices;

namespace MtlsGateway.Pkcs11.Interop;

// The one place that knows how PKCS#11 (v2.40) structures look in memory. Linux/Unix x64 (LP64) only: sequential,
// natural alignment, CK_ULONG and every handle, flag set and CK_RV are 8 bytes. Windows packs these structs to 1 byte
// and uses a 4-byte CK_ULONG, so a Windows port changes this file (and nothing else should need to know).
// Field names follow the PKCS#11 header so the layout can be checked against it line by line.

#pragma warning disable CA1707, IDE1006 // names as in pkcs11t.h / pkcs11f.h

[StructLayout(LayoutKind.Sequential)]
internal struct CK_VERSION
{
    public byte major;
    public byte minor;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_ATTRIBUTE
{
    public nuint type;
    public void* pValue;
    public nuint ulValueLen;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_MECHANISM
{
    public nuint mechanism;
    public void* pParameter;
    public nuint ulParameterLen;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_C_INITIALIZE_ARGS
{
    public IntPtr CreateMutex;
    public IntPtr DestroyMutex;
    public IntPtr LockMutex;
    public IntPtr UnlockMutex;
    public nuint flags;
    public void* pReserved;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_SLOT_INFO
{
    public fixed byte slotDescription[64];
    public fixed byte manufacturerID[32];
    public nuint flags;
    public CK_VERSION hardwareVersion;
    public CK_VERSION firmwareVersion;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_TOKEN_INFO
{
    public fixed byte label[32];
    public fixed byte manufacturerID[32];
    public fixed byte model[16];
    public fixed byte serialNumber[16];
    public nuint flags;
    public nuint ulMaxSessionCount;
    public nuint ulSessionCount;
    public nuint ulMaxRwSessionCount;
    public nuint ulRwSessionCount;
    public nuint ulMaxPinLen;
    public nuint ulMinPinLen;
    public nuint ulTotalPublicMemory;
    public nuint ulFreePublicMemory;
    public nuint ulTotalPrivateMemory;
    public nuint ulFreePrivateMemory;
    public CK_VERSION hardwareVersion;
    public CK_VERSION firmwareVersion;
    public fixed byte utcTime[16];
}

/// <summary>
/// CK_FUNCTION_LIST: a version, then the 68 entry points in the order of pkcs11f.h. The ones this binding calls are
/// typed; the others are kept as placeholders so every offset stays right.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_FUNCTION_LIST
{
    public CK_VERSION version;
    public delegate* unmanaged<CK_C_INITIALIZE_ARGS*, nuint> C_Initialize;
    public IntPtr C_Finalize; // never called: it would break the engine's sessions (see pkcs11-facts.md)
    public IntPtr C_GetInfo;
    public IntPtr C_GetFunctionList;
    public delegate* unmanaged<byte, nuint*, nuint*, nuint> C_GetSlotList;
    public delegate* unmanaged<nuint, CK_SLOT_INFO*, nuint> C_GetSlotInfo;
    public delegate* unmanaged<nuint, CK_TOKEN_INFO*, nuint> C_GetTokenInfo;
    public IntPtr C_GetMechanismList;
    public IntPtr C_GetMechanismInfo;
    public IntPtr C_InitToken;
    public IntPtr C_InitPIN;
    public IntPtr C_SetPIN;
    public delegate* unmanaged<nuint, nuint, void*, IntPtr, nuint*, nuint> C_OpenSession;
    public delegate* unmanaged<nuint, nuint> C_CloseSession;
    public IntPtr C_CloseAllSessions; // never called, same reason as C_Finalize
    public IntPtr C_GetSessionInfo;
    public IntPtr C_GetOperationState;
    public IntPtr C_SetOperationState;
    public delegate* unmanaged<nuint, nuint, byte*, nuint, nuint> C_Login;
    public IntPtr C_Logout; // never called, same reason as C_Finalize
    public delegate* unmanaged<nuint, CK_ATTRIBUTE*, nuint, nuint*, nuint> C_CreateObject;
    public IntPtr C_CopyObject;
    public IntPtr C_DestroyObject;
    public IntPtr C_GetObjectSize;
    public delegate* unmanaged<nuint, nuint, CK_ATTRIBUTE*, nuint, nuint> C_GetAttributeValue;
    public IntPtr C_SetAttributeValue;
    public delegate* unmanaged<nuint, CK_ATTRIBUTE*, nuint, nuint> C_FindObjectsInit;
    public delegate* unmanaged<nuint, nuint*, nuint, nuint*, nuint> C_FindObjects;
    public delegate* unmanaged<nuint, nuint> C_FindObjectsFinal;
    public IntPtr C_EncryptInit;
    public IntPtr C_Encrypt;
    public IntPtr C_EncryptUpdate;
    public IntPtr C_EncryptFinal;
    public IntPtr C_DecryptInit;
    public IntPtr C_Decrypt;
    public IntPtr C_DecryptUpdate;
    public IntPtr C_DecryptFinal;
    public IntPtr C_DigestInit;
    public IntPtr C_Digest;
    public IntPtr C_DigestUpdate;
    public IntPtr C_DigestKey;
    public IntPtr C_DigestFinal;
    public delegate* unmanaged<nuint, CK_MECHANISM*, nuint, nuint> C_SignInit;
    public delegate* unmanaged<nuint, byte*, nuint, byte*, nuint*, nuint> C_Sign;
    public IntPtr C_SignUpdate;
    public IntPtr C_SignFinal;
    public IntPtr C_SignRecoverInit;
    public IntPtr C_SignRecover;
    public IntPtr C_VerifyInit;
    public IntPtr C_Verify;
    public IntPtr C_VerifyUpdate;
    public IntPtr C_VerifyFinal;
    public IntPtr C_VerifyRecoverInit;
    public IntPtr C_VerifyRecover;
    public IntPtr C_DigestEncryptUpdate;
    public IntPtr C_DecryptDigestUpdate;
    public IntPtr C_SignEncryptUpdate;
    public IntPtr C_DecryptVerifyUpdate;
    public IntPtr C_GenerateKey;
    public delegate* unmanaged<nuint, CK_MECHANISM*, CK_ATTRIBUTE*, nuint, CK_ATTRIBUTE*, nuint, nuint*, nuint*, nuint> C_GenerateKeyPair;
    public IntPtr C_WrapKey;
    public IntPtr C_UnwrapKey;
    public IntPtr C_DeriveKey;
    public IntPtr C_SeedRandom;
    public IntPtr C_GenerateRandom;
    public IntPtr C_GetFunctionStatus;
    public IntPtr C_CancelFunction;
    public IntPtr C_WaitForSlotEvent;
}

/// <summary>How CK_ULONG and CK_BBOOL attribute values are encoded on this platform.</summary>
internal static class NativeValues
{
    public const int ULongSize = 8;

    /// <summary>CK_UNAVAILABLE_INFORMATION: the length a module reports for an attribute it will not give.</summary>
    public static readonly nuint UnavailableInformation = nuint.MaxValue;

    public static byte[] EncodeULong(ulong value) => BitConverter.GetBytes(value);

    public static ulong DecodeULong(ReadOnlySpan<byte> value) =>
        value.Length == ULongSize ? BitConverter.ToUInt64(value) : throw new FormatException($"a CK_ULONG attribute has {value.Length} bytes, expected {ULongSize}");

    public static bool IsSupportedPlatform => Environment.Is64BitProcess && !OperatingSystem.IsWindows();
}
