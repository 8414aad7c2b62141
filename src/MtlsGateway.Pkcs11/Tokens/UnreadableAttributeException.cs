using Net.Pkcs11Interop.Common;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>A token object lacks an attribute the gateway needs, or will not reveal it (CKA_SENSITIVE).</summary>
public sealed class UnreadableAttributeException : Exception
{
    public UnreadableAttributeException(CKA attribute)
        : base($"C_GetAttributeValue: {attribute} cannot be read (the object lacks it or keeps it secret)")
    {
        Attribute = attribute;
    }

    public CKA Attribute { get; }
}
