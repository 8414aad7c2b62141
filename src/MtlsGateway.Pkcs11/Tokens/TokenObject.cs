namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>A token object as `token list` shows it: public attributes only.</summary>
public sealed record TokenObject(ulong Handle, string Class, string? Label, string? IdHex, string? KeyType);

/// <summary>
/// One slot, its token (if present) and the objects visible without login; <see cref="Problem"/> says why the objects
/// could not be listed (token not initialised, token error), so one bad slot does not hide the others.
/// </summary>
public sealed record SlotInventory(SlotInfo Slot, TokenInfo? Token, IReadOnlyList<TokenObject> Objects, string? Problem = null);
