namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>No present token matches the selector (card not inserted, wrong label or serial, HSM down).</summary>
public sealed class TokenNotFoundException : Exception
{
    public TokenNotFoundException(TokenSelector selector, string modulePath, IReadOnlyList<string> failedSlots)
        : base($"{selector} not found in any slot of PKCS#11 module '{modulePath}'" + Skipped(failedSlots))
    {
    }

    private static string Skipped(IReadOnlyList<string> failedSlots) =>
        failedSlots.Count == 0 ? string.Empty : $" (skipped, answering with an error: {string.Join("; ", failedSlots)})";
}
