namespace MtlsGateway.RequestScreening;

/// <summary>
/// Compares header names as upstreams may read them: ASCII case-insensitively and with '_' read as '-' (CGI, WSGI,
/// Rack, PHP and nginx's underscores_in_headers all turn X-Client-Cert and X_Client_Cert into the same variable).
/// </summary>
internal sealed class HeaderNameComparer : IEqualityComparer<string>
{
    public static HeaderNameComparer Instance { get; } = new();

    public bool Equals(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return ReferenceEquals(x, y);
        }

        return x.Length == y.Length && StartsWith(x, y);
    }

    public int GetHashCode(string obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = default(HashCode);
        foreach (var c in obj)
        {
            hash.Add(Fold(c));
        }

        return hash.ToHashCode();
    }

    /// <summary>Whether <paramref name="name"/> starts with <paramref name="prefix"/>, compared as above.</summary>
    public static bool StartsWith(string name, string prefix)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(prefix);
        if (name.Length < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (Fold(name[i]) != Fold(prefix[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Header names are ASCII tokens: only ASCII letters fold.</summary>
    private static char Fold(char c) => c switch
    {
        '_' => '-',
        >= 'a' and <= 'z' => (char)(c - ('a' - 'A')),
        _ => c,
    };
}
