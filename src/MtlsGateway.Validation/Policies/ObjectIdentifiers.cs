using System.Formats.Asn1;

namespace MtlsGateway.Validation.Policies;

/// <summary>
/// Checks object identifiers written as text (settings, command-line options). Only the canonical dotted form is
/// accepted, the one .NET reads out of a certificate, so a configured OID compares equal to the same OID in a
/// certificate by plain string comparison: no leading zeros, no signs or spaces, first arc 0 to 2, second arc below
/// 40 under 0 and 1, and within what the ASN.1 reader represents (at most 64 arcs of up to 128 bits).
/// </summary>
public static class ObjectIdentifiers
{
    /// <summary>Null when <paramref name="text"/> is a canonical dotted OID; otherwise why not.</summary>
    public static string? Problem(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "empty; an object identifier is written as dotted decimal arcs, for example 2.16.840.1.101.3.2.1.48.1";
        }

        var arcs = text.Split('.');
        if (arcs.Length < 2)
        {
            return $"'{text}' is not a dotted object identifier (at least two arcs, for example 2.5.29.32.0)";
        }

        foreach (var arc in arcs)
        {
            if (arc.Length == 0 || !arc.All(char.IsAsciiDigit))
            {
                return $"'{text}' is not a dotted object identifier: arcs are decimal numbers separated by single dots";
            }

            if (arc.Length > 1 && arc[0] == '0')
            {
                return $"'{text}' has an arc with a leading zero ('{arc}'); write it without, as certificates encode it";
            }
        }

        if (arcs[0] is not ("0" or "1" or "2"))
        {
            return $"'{text}' starts with arc {arcs[0]}; the first arc of an object identifier is 0, 1 or 2";
        }

        if (arcs[0] is "0" or "1" && (arcs[1].Length > 2 || int.Parse(arcs[1], System.Globalization.CultureInfo.InvariantCulture) >= 40))
        {
            return $"'{text}': under arc {arcs[0]} the second arc is below 40";
        }

        try
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            writer.WriteObjectIdentifier(text);
            var canonical = new AsnReader(writer.Encode(), AsnEncodingRules.DER).ReadObjectIdentifier();
            return canonical == text ? null : $"'{text}' is not in canonical form (it reads back as {canonical})";
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or AsnContentException or ArgumentException)
        {
            return $"'{text}' is beyond what certificates are read with (at most 64 arcs, each below 2^128)";
        }
    }
}
