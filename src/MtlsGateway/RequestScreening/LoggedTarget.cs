using System.Globalization;
using System.Text;

namespace MtlsGateway.RequestScreening;

/// <summary>
/// A request target as it may appear in a log line: printable ASCII kept, everything else (control characters,
/// non-ASCII, bidirectional overrides) percent-encoded as UTF-8, and cut after 512 characters (marked with "..."), so
/// a client cannot forge or flood a log line through its target.
/// </summary>
internal static class LoggedTarget
{
    public const int MaxLength = 512;

    public static string Of(string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        if (rawTarget.Length <= MaxLength && !rawTarget.AsSpan().ContainsAnyExceptInRange((char)0x20, (char)0x7E))
        {
            return rawTarget;
        }

        var logged = new StringBuilder(MaxLength + 16);
        Span<byte> utf8 = stackalloc byte[4];
        var i = 0;
        for (; i < rawTarget.Length && logged.Length < MaxLength; i++)
        {
            var c = rawTarget[i];
            if (c is >= (char)0x20 and <= (char)0x7E)
            {
                logged.Append(c);
                continue;
            }

            var pair = char.IsHighSurrogate(c) && i + 1 < rawTarget.Length && char.IsLowSurrogate(rawTarget[i + 1]);
            var length = Encoding.UTF8.GetBytes(rawTarget.AsSpan(i, pair ? 2 : 1), utf8);
            i += pair ? 1 : 0;
            foreach (var b in utf8[..length])
            {
                logged.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return i < rawTarget.Length ? logged.Append("...").ToString() : logged.ToString();
    }
}
