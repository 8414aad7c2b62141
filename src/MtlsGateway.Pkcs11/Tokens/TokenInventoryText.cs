using System.Globalization;
using System.Text;

namespace MtlsGateway.Pkcs11.Tokens;

/// <summary>The `token list` output: one block per slot, one line per object. Public information only.</summary>
public static class TokenInventoryText
{
    public static string Format(IReadOnlyList<SlotInventory> inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var text = new StringBuilder();
        foreach (var entry in inventory)
        {
            text.Append(CultureInfo.InvariantCulture, $"slot 0x{entry.Slot.SlotId:x}: {entry.Slot.Description}");
            if (entry.Token is not { } token)
            {
                text.AppendLine(entry.Problem is { } slotProblem ? $" ({slotProblem})" : " (no token)");
                continue;
            }

            text.AppendLine()
                .Append(CultureInfo.InvariantCulture, $"  token '{token.Label}' serial {token.SerialNumber}, {token.Manufacturer} {token.Model}")
                .AppendLine(CultureInfo.InvariantCulture, $" [{string.Join(", ", token.FlagNames)}]");
            if (entry.Problem is { } problem)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  objects not listed: {problem}");
                continue;
            }

            foreach (var item in entry.Objects)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {item.Class,-12} id {item.IdHex ?? "-",-8} label '{item.Label ?? string.Empty}'");
                text.AppendLine(item.KeyType is { } keyType ? $" {keyType}" : string.Empty);
            }
        }

        return text.ToString();
    }
}
