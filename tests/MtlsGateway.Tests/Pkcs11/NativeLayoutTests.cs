using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MtlsGateway.Pkcs11.Interop;

namespace MtlsGateway.Tests.Pkcs11;

// The sizes and offsets measured against the PKCS#11 v2.40 header on Linux x64 (pkcs11-facts.md).
public sealed class NativeLayoutTests
{
    [Fact]
    public void Struct_sizes_match_the_linux_x64_abi()
    {
        Assert.Equal(24, Unsafe.SizeOf<CK_ATTRIBUTE>());
        Assert.Equal(24, Unsafe.SizeOf<CK_MECHANISM>());
        Assert.Equal(48, Unsafe.SizeOf<CK_C_INITIALIZE_ARGS>());
        Assert.Equal(208, Unsafe.SizeOf<CK_TOKEN_INFO>());
        Assert.Equal(96, (int)Marshal.OffsetOf<CK_TOKEN_INFO>(nameof(CK_TOKEN_INFO.flags)));
        Assert.Equal(96, (int)Marshal.OffsetOf<CK_SLOT_INFO>(nameof(CK_SLOT_INFO.flags)));
    }

    [Fact]
    public void Function_list_entries_sit_at_the_header_offsets()
    {
        Assert.Equal(8, (int)Marshal.OffsetOf<CK_FUNCTION_LIST>(nameof(CK_FUNCTION_LIST.C_Initialize)));
        Assert.Equal(352, (int)Marshal.OffsetOf<CK_FUNCTION_LIST>(nameof(CK_FUNCTION_LIST.C_Sign)));
        Assert.Equal(544, (int)Marshal.OffsetOf<CK_FUNCTION_LIST>(nameof(CK_FUNCTION_LIST.C_WaitForSlotEvent)));
        Assert.Equal(8 + (68 * 8), Unsafe.SizeOf<CK_FUNCTION_LIST>());
    }

    [Fact]
    public void Return_values_are_named_with_their_code()
    {
        Assert.Equal("CKR_TOKEN_NOT_PRESENT (0xE0)", Ckr.Describe(Ckr.TokenNotPresent));
        Assert.Equal("CKR_PIN_INCORRECT (0xA0)", Ckr.Describe(Ckr.PinIncorrect));
        Assert.Equal("CKR 0x80000001", Ckr.Describe(0x80000001));
    }
}
