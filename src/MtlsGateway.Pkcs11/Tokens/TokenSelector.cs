namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>Which token to use: by label, by serial number, or both (both must match).</summary>
public sealed record TokenSelector(string? Label, string? SerialNumber)
{
    public static TokenSelector ByLabel(string label) => new(label, null);

    public static TokenSelector BySerial(string serialNumber) => new(null, serialNumber);

    public bool Matches(TokenInfo token) =>
        (Label is null || string.Equals(token.Label, Label, StringComparison.Ordinal))
        && (SerialNumber is null || string.Equals(token.SerialNumber, SerialNumber, StringComparison.Ordinal));

    public override string ToString() => (Label, SerialNumber) switch
    {
        ({ } label, { } serial) => $"token '{label}' (serial {serial})",
        ({ } label, null) => $"token '{label}'",
        (null, { } serial) => $"token with serial {serial}",
        _ => "any token",
    };
}
