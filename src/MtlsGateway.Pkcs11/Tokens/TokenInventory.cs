using System.Text;
using MtlsGateway.Pkcs11.Modules;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>
/// What `token list` prints: every slot, its token and the objects visible without login (certificates, public keys,
/// public data; private keys made with CKA_PRIVATE stay hidden until login, which this never does). No secrets. A slot
/// or token that answers with an error is listed with that error, and the other slots are still listed.
/// </summary>
public static class TokenInventory
{
    /// <exception cref="Pkcs11Exception">The module could not list its slots.</exception>
    public static IReadOnlyList<SlotInventory> Read(Pkcs11Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var result = new List<SlotInventory>();
        foreach (var slotId in module.GetSlotList(tokenPresent: false))
        {
            result.Add(ReadSlot(module, slotId));
        }

        return result;
    }

    public static TokenObject Describe(ISession session, IObjectHandle handle)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(handle);
        var objectClass = (CKO)session.ReadULong(handle, CKA.CKA_CLASS);
        var label = session.TryReadBytes(handle, CKA.CKA_LABEL) is { } l ? Encoding.UTF8.GetString(l) : null;
        var id = session.TryReadBytes(handle, CKA.CKA_ID) is { } i ? Convert.ToHexStringLower(i) : null;
        string? keyType = null;
        if (objectClass is CKO.CKO_PUBLIC_KEY or CKO.CKO_PRIVATE_KEY or CKO.CKO_SECRET_KEY
            && session.TryReadULong(handle, CKA.CKA_KEY_TYPE) is { } k)
        {
            keyType = TokenKeys.KeyTypeName((CKK)k);
        }

        return new TokenObject(handle.ObjectId, ClassName(objectClass), label, id, keyType);
    }

    private static SlotInventory ReadSlot(Pkcs11Module module, ulong slotId)
    {
        SlotInfo slot;
        try
        {
            slot = module.GetSlotInfo(slotId);
        }
        catch (Pkcs11Exception e)
        {
            return new SlotInventory(new SlotInfo(slotId, "(slot information unavailable)", string.Empty, 0), null, [], $"slot not listed: {Pkcs11Errors.Describe(e)}");
        }

        if (!slot.TokenPresent)
        {
            return new SlotInventory(slot, null, []);
        }

        TokenInfo token;
        try
        {
            token = module.GetTokenInfo(slotId);
        }
        catch (Pkcs11Exception e)
        {
            return new SlotInventory(slot, null, [], $"token not listed: {Pkcs11Errors.Describe(e)}");
        }

        if (!token.Initialized)
        {
            return new SlotInventory(slot, token, [], "token not initialised");
        }

        try
        {
            using var session = module.OpenSession(slotId, readWrite: false);
            var objects = session.Session.FindAllObjects(null).Select(handle => Describe(session.Session, handle)).ToList();
            return new SlotInventory(slot, token, objects);
        }
        catch (Exception e) when (e is Pkcs11Exception or UnreadableAttributeException)
        {
            return new SlotInventory(slot, token, [], e is Pkcs11Exception p ? Pkcs11Errors.Describe(p) : e.Message);
        }
    }

    private static string ClassName(CKO objectClass) => objectClass switch
    {
        CKO.CKO_DATA => "data",
        CKO.CKO_CERTIFICATE => "certificate",
        CKO.CKO_PUBLIC_KEY => "public-key",
        CKO.CKO_PRIVATE_KEY => "private-key",
        CKO.CKO_SECRET_KEY => "secret-key",
        _ => $"class 0x{(ulong)objectClass:X}",
    };
}
