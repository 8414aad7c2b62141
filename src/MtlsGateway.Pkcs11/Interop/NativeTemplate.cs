using System.Runtime.InteropServices;

namespace MtlsGateway.Pkcs11.Interop;

/// <summary>
/// A CK_ATTRIBUTE array and its values in one native block, so nothing moves while the module reads it.
/// The block is zeroed before it is freed.
/// </summary>
internal sealed unsafe class NativeTemplate : IDisposable
{
    private readonly nuint size;
    private byte* block;

    public NativeTemplate(IReadOnlyList<TemplateItem> attributes)
    {
        Count = attributes.Count;
        var headerSize = (nuint)(sizeof(CK_ATTRIBUTE) * Count);
        nuint valuesSize = 0;
        foreach (var attribute in attributes)
        {
            valuesSize += (nuint)attribute.Value.Length;
        }

        size = Math.Max(headerSize + valuesSize, 1);
        block = (byte*)NativeMemory.AllocZeroed(size);
        var header = (CK_ATTRIBUTE*)block;
        var value = block + headerSize;
        for (var i = 0; i < Count; i++)
        {
            var source = attributes[i].Value;
            source.CopyTo(new Span<byte>(value, source.Length));
            header[i] = new CK_ATTRIBUTE { type = (nuint)attributes[i].Type, pValue = source.Length == 0 ? null : value, ulValueLen = (nuint)source.Length };
            value += source.Length;
        }
    }

    public int Count { get; }

    public CK_ATTRIBUTE* Pointer => Count == 0 ? null : (CK_ATTRIBUTE*)block;

    public void Dispose()
    {
        if (block is null)
        {
            return;
        }

        NativeMemory.Clear(block, size);
        NativeMemory.Free(block);
        block = null;
    }
}
