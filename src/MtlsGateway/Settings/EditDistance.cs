namespace MtlsGateway.Settings;

/// <summary>Levenshtein distance, case-insensitive (configuration keys are): how far a misspelt key is from a known one.</summary>
internal static class EditDistance
{
    public static int Between(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The candidate closest to <paramref name="key"/>, or null when there is none.</summary>
    public static string? Closest(string key, IEnumerable<string> candidates) =>
        candidates.OrderBy(candidate => Between(key.Trim(), candidate)).ThenBy(candidate => candidate, StringComparer.Ordinal).FirstOrDefault();
}
