using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>What CK_SLOT_INFO says about a slot (a reader, or a virtual slot of an HSM).</summary>
public sealed record SlotInfo(ulong SlotId, string Description, string Manufacturer, ulong Flags)
{
    public bool TokenPresent => (Flags & CKF.CKF_TOKEN_PRESENT) != 0;

    public bool Removable => (Flags & CKF.CKF_REMOVABLE_DEVICE) != 0;

    public static SlotInfo From(ISlotInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new SlotInfo(info.SlotId, info.SlotDescription, info.ManufacturerId, info.SlotFlags.Flags);
    }
}
