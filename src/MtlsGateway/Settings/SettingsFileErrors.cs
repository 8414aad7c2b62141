using System.Text.Json;
using System.Text.RegularExpressions;

namespace MtlsGateway.Settings;

/// <summary>
/// A settings file that cannot be read, as one line: the file, then for a JSON syntax error the 1-based line and
/// column (the JSON reader counts from 0) and what is wrong, e.g.
/// <c>/config/appsettings.json: line 12, column 5: '}' is invalid after a property name. Expected a ':'.</c>
/// </summary>
internal static partial class SettingsFileErrors
{
    /// <summary>The one-line description of a settings file that failed to load, or null when the failure is something else.</summary>
    public static string? Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string? file = null;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is InvalidDataException && FailedToLoad().Match(current.Message) is { Success: true } match)
            {
                file = match.Groups["file"].Value;
            }

            if (file is null)
            {
                continue;
            }

            if (current is JsonException json)
            {
                var what = Position().Replace(json.Message, string.Empty).Trim();
                return json.LineNumber is { } line
                    ? $"{file}: line {line + 1}, column {CharacterColumn(file, line, json.BytePositionInLine ?? 0)}: {Printable(what)}"
                    : $"{file}: {Printable(what)}";
            }

            if (current.InnerException is null && current is not InvalidDataException)
            {
                // Not a syntax error (a key given twice, say): the parser's own message names it.
                return $"{file}: {Printable(current.Message)}";
            }
        }

        return file is null ? null : $"{file}: cannot be read ({Printable(exception.Message)})";
    }

    /// <summary>
    /// The 1-based column in characters: the JSON reader counts bytes, so after "café" a byte count would point past
    /// the mistake. Falls back to the byte count when the file cannot be read again.
    /// </summary>
    private static long CharacterColumn(string file, long line, long bytePosition)
    {
        try
        {
            var bytes = File.ReadAllBytes(file);
            var start = 0;
            for (var current = 0L; current < line; current++)
            {
                start = Array.IndexOf(bytes, (byte)'\n', start) + 1;
                if (start == 0)
                {
                    return bytePosition + 1;
                }
            }

            if (line == 0 && bytes.AsSpan().StartsWith(Utf8Bom))
            {
                start += Utf8Bom.Length;
            }

            var length = (int)Math.Min(bytePosition, bytes.Length - start);
            return System.Text.Encoding.UTF8.GetCharCount(bytes, start, length) + 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return bytePosition + 1;
        }
    }

    /// <summary>The parser quotes the offending character: control characters are shown escaped, not sent to the terminal.</summary>
    private static string Printable(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var character in text.ReplaceLineEndings(" "))
        {
            builder.Append(char.IsControl(character) ? $"\\u{(int)character:x4}" : character.ToString());
        }

        return builder.ToString();
    }

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    [GeneratedRegex(@"^Failed to load configuration from file '(?<file>.+)'\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex FailedToLoad();

    [GeneratedRegex(@"\s*(Path: \S* \| )?LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Position();
}
