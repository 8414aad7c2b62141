using System.Globalization;

namespace MtlsGateway.Settings;

/// <summary>
/// Whether a configuration value converts to the type it is bound to, converted by the configuration binder itself
/// (so exactly what binding would accept), and when it does not, one line saying what is expected: the valid names of
/// an enum, the TimeSpan format, true or false, the range of a number. The one translator for every bound setting.
/// </summary>
internal static class SettingValues
{
    /// <summary>What is wrong with <paramref name="value"/> as a <paramref name="type"/>, or null when it converts.</summary>
    public static string? Problem(string value, Type type)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(type);
        if (type == typeof(string))
        {
            return null;
        }

        try
        {
            _ = new ConfigurationBuilder().AddInMemoryCollection([new("value", value)]).Build().GetSection("value").Get(type);
            return null;
        }
        catch (InvalidOperationException)
        {
            return Expected(value, Nullable.GetUnderlyingType(type) ?? type);
        }
    }

    private static string Expected(string value, Type type)
    {
        var shown = $"'{value}'";
        if (type.IsEnum)
        {
            var names = string.Join(", ", Enum.GetNames(type).Distinct(StringComparer.Ordinal));
            return type.IsDefined(typeof(FlagsAttribute), inherit: false)
                ? $"{shown} is not one of {names} (several combine as a comma-separated list)"
                : $"{shown} is not one of {names}";
        }

        if (type == typeof(TimeSpan))
        {
            return $"{shown} is not a time span; write [d.]hh:mm:ss[.fff], e.g. 00:05:00 for five minutes or 1.00:00:00 for a day";
        }

        if (type == typeof(bool))
        {
            return $"{shown} is not true or false";
        }

        if (IntegerRange(type) is { } range)
        {
            return $"{shown} is not a whole number from {range.Min} to {range.Max}";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return $"{shown} is not a number (use a dot for decimals, e.g. 0.5)";
        }

        if (type == typeof(Uri))
        {
            return $"{shown} is not a URI";
        }

        if (type == typeof(Version))
        {
            return $"{shown} is not a version such as 1.1 or 2.0";
        }

        return $"{shown} cannot be read as {type.Name}";
    }

    private static (string Min, string Max)? IntegerRange(Type type) =>
        type == typeof(int) ? (int.MinValue.ToString(CultureInfo.InvariantCulture), int.MaxValue.ToString(CultureInfo.InvariantCulture))
        : type == typeof(long) ? (long.MinValue.ToString(CultureInfo.InvariantCulture), long.MaxValue.ToString(CultureInfo.InvariantCulture))
        : type == typeof(short) ? (short.MinValue.ToString(CultureInfo.InvariantCulture), short.MaxValue.ToString(CultureInfo.InvariantCulture))
        : type == typeof(byte) ? ("0", byte.MaxValue.ToString(CultureInfo.InvariantCulture))
        : type == typeof(uint) ? ("0", uint.MaxValue.ToString(CultureInfo.InvariantCulture))
        : type == typeof(ulong) ? ("0", ulong.MaxValue.ToString(CultureInfo.InvariantCulture))
        : type == typeof(ushort) ? ("0", ushort.MaxValue.ToString(CultureInfo.InvariantCulture))
        : null;
}
