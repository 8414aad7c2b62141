using MtlsGateway.Pkcs11.Interop;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>What CK_TOKEN_INFO says about a token; public information only.</summary>
public sealed record TokenInfo(ulong SlotId, string Label, string Manufacturer, string Model, string SerialNumber, ulong Flags)
{
    public bool LoginRequired => (Flags & CkfToken.LoginRequired) != 0;

    public bool UserPinLocked => (Flags & CkfToken.UserPinLocked) != 0;

    public bool UserPinCountLow => (Flags & CkfToken.UserPinCountLow) != 0;

    public bool UserPinFinalTry => (Flags & CkfToken.UserPinFinalTry) != 0;

    public bool WriteProtected => (Flags & CkfToken.WriteProtected) != 0;

    public IReadOnlyList<string> FlagNames => CkfToken.Describe(Flags);
}

/// <summary>What CK_SLOT_INFO says about a slot (a reader, or a virtual slot of an HSM).</summary>
public sealed record SlotInfo(ulong SlotId, string Description, string Manufacturer, ulong Flags)
{
    public bool TokenPresent => (Flags & CkfSlot.TokenPresent) != 0;

    public bool Removable => (Flags & CkfSlot.RemovableDevice) != 0;
}
