using System.Text;

namespace MtlsGateway.Pkcs11.Interop;

/// <summary>One attribute of a search or creation template: a CKA_* type and its value as the module expects it.</summary>
public readonly record struct TemplateItem(ulong Type, byte[] Value)
{
    public static TemplateItem Bool(ulong type, bool value) => new(type, [value ? (byte)1 : (byte)0]);

    public static TemplateItem Number(ulong type, ulong value) => new(type, NativeValues.EncodeULong(value));

    public static TemplateItem Bytes(ulong type, ReadOnlySpan<byte> value) => new(type, value.ToArray());

    public static TemplateItem Utf8(ulong type, string value) => new(type, Encoding.UTF8.GetBytes(value));

    public static TemplateItem Class(ulong objectClass) => Number(Cka.Class, objectClass);
}
