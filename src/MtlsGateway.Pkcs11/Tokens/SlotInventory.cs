namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>
/// One slot, its token (if present and answering) and the objects visible without login; <see cref="Problem"/> says why
/// the token or its objects could not be listed (token not initialised, a slot or token that answers with an error), so
/// one bad slot does not hide the others.
/// </summary>
public sealed record SlotInventory(SlotInfo Slot, TokenInfo? Token, IReadOnlyList<TokenObject> Objects, string? Problem = null);
