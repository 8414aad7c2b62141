using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>Reads one attribute of a token object through Pkcs11Interop's C_GetAttributeValue.</summary>
public static class ObjectAttributes
{
    /// <summary>
    /// The value, or null when the object does not have the attribute or will not reveal it (Pkcs11Interop reports both
    /// CKR_ATTRIBUTE_TYPE_INVALID and CKR_ATTRIBUTE_SENSITIVE as "cannot be read").
    /// </summary>
    /// <exception cref="Pkcs11Exception">Any other error (token gone, invalid handle...).</exception>
    public static byte[]? TryReadBytes(this ISession session, IObjectHandle handle, CKA type)
    {
        ArgumentNullException.ThrowIfNull(session);
        var attribute = session.GetAttributeValue(handle, [type])[0];
        using (attribute)
        {
            return attribute.CannotBeRead ? null : attribute.GetValueAsByteArray() ?? [];
        }
    }

    /// <exception cref="UnreadableAttributeException">The object does not have the attribute or will not reveal it.</exception>
    public static byte[] ReadBytes(this ISession session, IObjectHandle handle, CKA type) =>
        session.TryReadBytes(handle, type) ?? throw new UnreadableAttributeException(type);

    /// <exception cref="UnreadableAttributeException">The object does not have the attribute or will not reveal it.</exception>
    public static ulong ReadULong(this ISession session, IObjectHandle handle, CKA type) =>
        TryReadULong(session, handle, type) ?? throw new UnreadableAttributeException(type);

    public static ulong? TryReadULong(this ISession session, IObjectHandle handle, CKA type)
    {
        ArgumentNullException.ThrowIfNull(session);
        var attribute = session.GetAttributeValue(handle, [type])[0];
        using (attribute)
        {
            return attribute.CannotBeRead ? null : attribute.GetValueAsUlong();
        }
    }

    /// <exception cref="UnreadableAttributeException">The object does not have the attribute or will not reveal it.</exception>
    public static bool ReadBool(this ISession session, IObjectHandle handle, CKA type)
    {
        ArgumentNullException.ThrowIfNull(session);
        var attribute = session.GetAttributeValue(handle, [type])[0];
        using (attribute)
        {
            return attribute.CannotBeRead ? throw new UnreadableAttributeException(type) : attribute.GetValueAsBool();
        }
    }
}
