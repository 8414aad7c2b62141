using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace MtlsGateway.RequestScreening;

/// <summary>
/// Judges a raw request target (as the client sent it, before Kestrel decodes it) and finds the first spelling that an
/// upstream may read as another path than the one the gateway routes by. Kestrel resolves dot segments and decodes
/// escapes (but keeps <c>%2F</c>) before routing, and YARP forwards that decoded path re-encoded, so a target is safe
/// to route when decoding it once gives exactly one reading: no empty or dot segments, no encoded or backslash
/// separators, no path parameters, no escapes left for a second decoding, only valid UTF-8 and no look-alikes of the
/// delimiters. Nothing is normalised: what is ambiguous is refused.
/// </summary>
/// <remarks>One pass over the target without allocation for ASCII paths; written by hand because no .NET or ASP.NET
/// API judges a raw target this way.</remarks>
internal static class RequestTargetRules
{
    private const int StackDecodeLimit = 512;

    /// <summary>RFC 3986 pchar without '%' (escapes) and ';' (refused as a path parameter): unreserved, sub-delims, ':' and '@'.</summary>
    private static readonly SearchValues<char> PathCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@");

    /// <summary>
    /// Characters whose Unicode compatibility form (NFKC) is one of <c>/ \ . ; % ? #</c>, and U+2215 DIVISION SLASH,
    /// which Windows' best-fit mapping turns into '/'.
    /// </summary>
    private static readonly SearchValues<char> Lookalikes = SearchValues.Create(
        "\uFF0F\u2215" // solidus
        + "\uFF3C\uFE68" // reverse solidus
        + "\uFF0E\uFE52\u2024\u2025" // full stop, one and two dot leaders
        + "\uFF1B\uFE54\u037E" // semicolon, Greek question mark (canonically a semicolon)
        + "\uFF05\uFE6A" // percent sign
        + "\uFF1F\uFE56" // question mark
        + "\uFF03\uFE5F"); // number sign

    /// <summary>The first ambiguity of <paramref name="rawTarget"/>, or null when it has exactly one reading.</summary>
    public static PathAmbiguity? Judge(string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        if (rawTarget.Contains('#', StringComparison.Ordinal))
        {
            return PathAmbiguity.Fragment;
        }

        if (PathStart(rawTarget) is not { } start)
        {
            return PathAmbiguity.NotOriginForm;
        }

        var target = rawTarget.AsSpan(start);
        var queryStart = target.IndexOf('?');
        var path = queryStart < 0 ? target : target[..queryStart];
        return (path.IsEmpty ? null : JudgePath(path)) ?? (queryStart < 0 ? null : JudgeQuery(target[(queryStart + 1)..]));
    }

    /// <summary>Where the path starts: 0 in origin-form; after the authority in an http(s) absolute-form target (HTTP/1.1).</summary>
    private static int? PathStart(string target)
    {
        if (target.StartsWith('/'))
        {
            return 0;
        }

        var schemeLength = target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7
            : target.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8
            : 0;
        if (schemeLength == 0)
        {
            return null;
        }

        var authorityEnd = target.AsSpan(schemeLength).IndexOfAny('/', '?');
        if (authorityEnd == 0)
        {
            return null; // no authority
        }

        // Without a path the target names the root.
        return authorityEnd < 0 ? target.Length : schemeLength + authorityEnd;
    }

    private static PathAmbiguity? JudgePath(ReadOnlySpan<char> path)
    {
        // Decoded bytes are never longer than the raw path.
        byte[]? rented = null;
        var buffer = path.Length <= StackDecodeLimit ? stackalloc byte[StackDecodeLimit] : (rented = ArrayPool<byte>.Shared.Rent(path.Length));
        try
        {
            // path[0] is '/'; each segment runs up to the next '/'.
            var position = 1;
            while (true)
            {
                var length = path[position..].IndexOf('/');
                var segment = length < 0 ? path[position..] : path.Slice(position, length);
                if (length == 0)
                {
                    return PathAmbiguity.EmptySegment;
                }

                if (JudgeSegment(segment, buffer) is { } ambiguity)
                {
                    return ambiguity;
                }

                if (length < 0)
                {
                    return null;
                }

                position += length + 1;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static PathAmbiguity? JudgeSegment(ReadOnlySpan<char> segment, Span<byte> buffer)
    {
        var decoded = 0;
        var nonAscii = false;
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            byte value;
            if (c == '%')
            {
                if (i + 2 >= segment.Length || !IsHex(segment[i + 1]) || !IsHex(segment[i + 2]))
                {
                    return PathAmbiguity.MalformedEscape;
                }

                value = (byte)((HexValue(segment[i + 1]) << 4) | HexValue(segment[i + 2]));
                i += 2;
                switch (value)
                {
                    case (byte)'/' or (byte)'\\':
                        return PathAmbiguity.EncodedSeparator;
                    case (byte)';':
                        return PathAmbiguity.PathParameter;
                    case (byte)'?' or (byte)'#':
                        return PathAmbiguity.EncodedDelimiter;
                    case < 0x20 or 0x7F:
                        return PathAmbiguity.ControlCharacter;
                    default:
                        nonAscii |= value >= 0x80;
                        break;
                }
            }
            else if (c < 0x20 || c == 0x7F)
            {
                return PathAmbiguity.ControlCharacter;
            }
            else if (c == '\\')
            {
                return PathAmbiguity.Backslash;
            }
            else if (c == ';')
            {
                return PathAmbiguity.PathParameter;
            }
            else if (!PathCharacters.Contains(c))
            {
                return PathAmbiguity.InvalidCharacter;
            }
            else
            {
                value = (byte)c;
            }

            buffer[decoded++] = value;
        }

        var bytes = buffer[..decoded];
        if (nonAscii)
        {
            if (!Utf8.IsValid(bytes))
            {
                return PathAmbiguity.InvalidUtf8;
            }

            if (Encoding.UTF8.GetString(bytes).AsSpan().ContainsAny(Lookalikes))
            {
                return PathAmbiguity.LookalikeCharacter;
            }
        }

        if (HoldsEscape(bytes))
        {
            return PathAmbiguity.DoubleEncoding;
        }

        return bytes is [(byte)'.'] or [(byte)'.', (byte)'.'] ? PathAmbiguity.DotSegment : null;
    }

    /// <summary>The query takes no part in routing and is forwarded as sent: only what cannot be forwarded as sent is refused.</summary>
    private static PathAmbiguity? JudgeQuery(ReadOnlySpan<char> query)
    {
        foreach (var c in query)
        {
            if (c < 0x20 || c == 0x7F)
            {
                return PathAmbiguity.ControlCharacter;
            }

            if (c == ' ' || c > 0x7F)
            {
                return PathAmbiguity.InvalidCharacter;
            }
        }

        return null;
    }

    private static bool HoldsEscape(ReadOnlySpan<byte> decoded)
    {
        for (var i = decoded.IndexOf((byte)'%'); i >= 0 && i + 2 < decoded.Length; i = NextPercent(decoded, i))
        {
            if (IsHex((char)decoded[i + 1]) && IsHex((char)decoded[i + 2]))
            {
                return true;
            }
        }

        return false;
    }

    private static int NextPercent(ReadOnlySpan<byte> decoded, int after)
    {
        var next = decoded[(after + 1)..].IndexOf((byte)'%');
        return next < 0 ? -1 : after + 1 + next;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
