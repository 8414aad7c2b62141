using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace MtlsGateway.Validation.Identity;

/// <summary>A rule value, compiled once: literal, or with <c>*</c> wildcards.</summary>
public sealed class ValuePattern
{
    private readonly Regex regex;

    private ValuePattern(Regex regex) => this.regex = regex;

    /// <summary><c>*</c> matches any run of characters (also none); everything else literally, case-sensitive.</summary>
    public static ValuePattern Glob(string pattern) => Compile(pattern, ".*", RegexOptions.None);

    public static ValuePattern GlobIgnoreCase(string pattern) => Compile(pattern, ".*", RegexOptions.IgnoreCase);

    /// <summary>DNS names: case-insensitive, and <c>*</c> matches exactly one whole label, as in certificates.</summary>
    public static ValuePattern DnsName(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var labels = pattern.TrimEnd('.').Split('.');
        if (labels.Any(label => label.Contains('*', StringComparison.Ordinal) && label != "*"))
        {
            throw new ArgumentException($"'{pattern}': in DNS names '*' must be a whole label, as in '*.example.com'");
        }

        var body = string.Join(@"\.", labels.Select(label => label == "*" ? "[^.]+" : Regex.Escape(label)));
        return new ValuePattern(new Regex("^" + body + @"\.?\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)));
    }

    public bool Matches(string value) => regex.IsMatch(value);

    private static ValuePattern Compile(string pattern, string wildcard, RegexOptions options)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var body = string.Join(wildcard, pattern.Split('*').Select(Regex.Escape));
        // \z, not $: "$" also matches before a final newline, which would let "alice\n" pass for "alice".
        return new ValuePattern(new Regex("^" + body + @"\z", options | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100)));
    }
}

/// <summary>Distinguished names in configuration are normalised to .NET's formatting, as the certificate's are.</summary>
public static class DistinguishedNames
{
    public static string Normalize(string name)
    {
        try
        {
            return new X500DistinguishedName(name).Decode(X500DistinguishedNameFlags.Reversed);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ArgumentException($"'{name}' is not a distinguished name ({e.Message.TrimEnd('.')})", e);
        }
    }
}

/// <summary>Hex values (serial numbers, thumbprints) as operators paste them: any case, with or without colons.</summary>
public static class HexValues
{
    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
    }

    /// <summary>Serial numbers also lose leading zero octets, which encoders add to keep the INTEGER positive.</summary>
    public static string NormalizeSerial(string value)
    {
        var hex = Normalize(value);
        while (hex.StartsWith("00", StringComparison.Ordinal) && hex.Length > 2)
        {
            hex = hex[2..];
        }

        return hex;
    }
}
