using System.Runtime.InteropServices;

namespace MtlsGateway.Pkcs11.Interop;

/// <summary>
/// A CK_ATTRIBUTE array and its values in one native block, so nothing moves while the module reads it.
/// The block is zeroed before it is freed.
/// </summary>
internal sealed unsafe class NativeTemplate : IDisposable
{
    private readonly nuint _size;
    private byte* _block;

    public NativeTemplate(IReadOnlyList<TemplateItem> attributes)
    {
        Count = attributes.Count;
        var headerSize = (nuint)(sizeof(CK_ATTRIBUTE) * Count);
        nuint valuesSize = 0;
        foreach (var attribute in attributes)
        {
            valuesSize += (nuint)attribute.Value.Length;
        }

        _size = Math.Max(headerSize + valuesSize, 1);
        _block = (byte*)NativeMemory.AllocZeroed(_size);
        var header = (CK_ATTRIBUTE*)_block;
        var value = _block + headerSize;
        for (var i = 0; i < Count; i++)
        {
            var source = attributes[i].Value;
            source.CopyTo(new Span<byte>(value, source.Length));
            header[i] = new CK_ATTRIBUTE { type = (nuint)attributes[i].Type, pValue = source.Length == 0 ? null : value, ulValueLen = (nuint)source.Length };
            value += source.Length;
        }
    }

    public int Count { get; }

    public CK_ATTRIBUTE* Pointer => Count == 0 ? null : (CK_ATTRIBUTE*)_block;

    public void Dispose()
    {
        if (_block is null)
        {
            return;
        }

        NativeMemory.Clear(_block, _size);
        NativeMemory.Free(_block);
        _block = null;
    }
}
