using System.Text;
using MtlsGateway.Pkcs11.Interop;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>
/// What `token list` prints: every slot, its token and the objects visible without login (certificates, public keys,
/// public data; private keys made with CKA_PRIVATE stay hidden until login, which this never does). No secrets.
/// </summary>
public static class TokenInventory
{
    public static IReadOnlyList<SlotInventory> Read(Pkcs11Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var result = new List<SlotInventory>();
        foreach (var slotId in module.GetSlotList(tokenPresent: false))
        {
            var slot = module.GetSlotInfo(slotId);
            if (!slot.TokenPresent)
            {
                result.Add(new SlotInventory(slot, null, []));
                continue;
            }

            var token = module.GetTokenInfo(slotId);
            if ((token.Flags & CkfToken.TokenInitialized) == 0)
            {
                result.Add(new SlotInventory(slot, token, [], "token not initialised"));
                continue;
            }

            try
            {
                using var session = module.OpenSession(slotId, readWrite: false);
                var objects = session.FindObjects([]).Select(handle => Describe(session, handle)).ToList();
                result.Add(new SlotInventory(slot, token, objects));
            }
            catch (Pkcs11Exception e)
            {
                result.Add(new SlotInventory(slot, token, [], e.Message));
            }
        }

        return result;
    }

    public static TokenObject Describe(Pkcs11Session session, ulong handle)
    {
        ArgumentNullException.ThrowIfNull(session);
        var objectClass = session.GetULongAttribute(handle, Cka.Class);
        var label = session.TryGetAttributeValue(handle, Cka.Label) is { } l ? Encoding.UTF8.GetString(l) : null;
        var id = session.TryGetAttributeValue(handle, Cka.Id) is { } i ? Convert.ToHexStringLower(i) : null;
        string? keyType = null;
        if (objectClass is Cko.PublicKey or Cko.PrivateKey or Cko.SecretKey
            && session.TryGetAttributeValue(handle, Cka.KeyType) is { Length: NativeValues.ULongSize } k)
        {
            keyType = Ckk.Name(NativeValues.DecodeULong(k));
        }

        return new TokenObject(handle, Cko.Name(objectClass), label, id, keyType);
    }
}
