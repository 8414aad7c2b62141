using System.Formats.Asn1;
using System.Text;

namespace MtlsGateway.Validation.Certificates;

/// <summary>
/// Name comparison as RFC 5280 7.1 asks for it: attribute by attribute, with string values compared after RFC 4518
/// style preparation (case folded, leading/trailing spaces removed, inner runs of spaces collapsed), whatever string
/// type encodes them. Values of other types compare by their exact encoding.
/// </summary>
public static class DistinguishedNames
{
    /// <summary>A key equal for two names exactly when they match; usable for dictionary lookups.</summary>
    public static string NormalizedKey(ReadOnlySpan<byte> encodedName)
    {
        try
        {
            return Normalize(encodedName);
        }
        catch (AsnContentException)
        {
            // An undecodable name can still be compared exactly.
            return "#raw:" + Convert.ToHexString(encodedName);
        }
    }

    public static bool Match(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        a.SequenceEqual(b) || string.Equals(NormalizedKey(a), NormalizedKey(b), StringComparison.Ordinal);

    private static string Normalize(ReadOnlySpan<byte> encodedName)
    {
        var reader = new AsnReader(encodedName.ToArray(), AsnEncodingRules.DER);
        var rdns = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var key = new StringBuilder();
        while (rdns.HasData)
        {
            var set = rdns.ReadSetOf(skipSortOrderValidation: true);
            var attributes = new List<string>();
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var type = attribute.ReadObjectIdentifier();
                var value = NormalizeValue(attribute.ReadEncodedValue());
                attribute.ThrowIfNotEmpty();
                attributes.Add($"{type}={value.Length}:{value}");
            }

            attributes.Sort(StringComparer.Ordinal);
            key.Append('{').AppendJoin('+', attributes).Append('}');
        }

        return key.ToString();
    }

    private static string NormalizeValue(ReadOnlyMemory<byte> encodedValue)
    {
        var reader = new AsnReader(encodedValue, AsnEncodingRules.BER);
        var tag = reader.PeekTag();
        if (tag.TagClass == TagClass.Universal && !tag.IsConstructed && IsStringType((UniversalTagNumber)tag.TagValue))
        {
            try
            {
                return "s" + Prepare(reader.ReadCharacterString((UniversalTagNumber)tag.TagValue));
            }
            catch (AsnContentException)
            {
                // Fall through to the exact comparison.
            }
        }

        return "#" + Convert.ToHexString(encodedValue.Span);
    }

    private static bool IsStringType(UniversalTagNumber tag) => tag is UniversalTagNumber.PrintableString or UniversalTagNumber.UTF8String
        or UniversalTagNumber.TeletexString or UniversalTagNumber.BMPString or UniversalTagNumber.UniversalString or UniversalTagNumber.IA5String;

    private static string Prepare(string value)
    {
        var folded = value.ToUpperInvariant();
        var builder = new StringBuilder(folded.Length);
        var pendingSpace = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
