namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>A token object as `token list` shows it: public attributes only.</summary>
public sealed record TokenObject(ulong Handle, string Class, string? Label, string? IdHex, string? KeyType);
