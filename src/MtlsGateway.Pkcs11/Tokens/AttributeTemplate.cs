using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>
/// A search or creation template built with Pkcs11Interop's attribute factory. Disposing frees the attributes'
/// unmanaged copies.
/// </summary>
public sealed class AttributeTemplate : IDisposable
{
    private readonly Net.Pkcs11Interop.HighLevelAPI.Factories.IObjectAttributeFactory factory;

    public AttributeTemplate(ISession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        factory = session.Factories.ObjectAttributeFactory;
    }

    public List<IObjectAttribute> Attributes { get; } = [];

    public AttributeTemplate Add(CKA type, CKO value) => Keep(factory.Create(type, value));

    public AttributeTemplate Add(CKA type, CKK value) => Keep(factory.Create(type, value));

    public AttributeTemplate Add(CKA type, CKC value) => Keep(factory.Create(type, value));

    public AttributeTemplate Add(CKA type, bool value) => Keep(factory.Create(type, value));

    /// <summary>A text attribute (CKA_LABEL), UTF-8 encoded.</summary>
    public AttributeTemplate Add(CKA type, string value) => Keep(factory.Create(type, value));

    public AttributeTemplate Add(CKA type, byte[] value) => Keep(factory.Create(type, value));

    public void Dispose()
    {
        foreach (var attribute in Attributes)
        {
            attribute.Dispose();
        }

        Attributes.Clear();
    }

    private AttributeTemplate Keep(IObjectAttribute attribute)
    {
        Attributes.Add(attribute);
        return this;
    }
}
