using System.Globalization;
using System.Text;

namespace MtlsGateway.Telemetry;

/// <summary>
/// Makes text safe for a log line. Certificate fields are chosen by whoever made the certificate: an ESC sequence in a
/// subject would recolour or erase a terminal, a line break would forge a log line, a bidirectional override would
/// show a name reversed. Each such character is written as a visible escape (\u001B, \r, \n); other text is kept.
/// </summary>
internal static class LogText
{
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (FirstUnsafe(text) is not { } first)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        escaped.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (IsPair(text, i))
            {
                escaped.Append(c).Append(text[++i]);
            }
            else if (IsUnsafe(c))
            {
                escaped.Append(c switch
                {
                    '\r' => "\\r",
                    '\n' => "\\n",
                    '\t' => "\\t",
                    _ => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                });
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private static int? FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsPair(text, i))
            {
                i++;
            }
            else if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return null;
    }

    private static bool IsPair(string text, int i) =>
        char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);

    /// <summary>
    /// C0 and C1 controls and DEL; the line and paragraph separators; the bidirectional marks, embeddings, overrides
    /// and isolates; a surrogate half outside a pair (no character at all).
    /// </summary>
    private static bool IsUnsafe(char c) =>
        c < ' '
            || c is >= '\u007F' and <= '\u009F'
                or '\u2028' or '\u2029'
                or '\u061C' or '\u200E' or '\u200F'
                or >= '\u202A' and <= '\u202E'
                or >= '\u2066' and <= '\u2069'
            || char.IsSurrogate(c);
}
