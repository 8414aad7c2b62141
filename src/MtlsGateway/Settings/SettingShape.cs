using System.Collections;
using System.Reflection;

namespace MtlsGateway.Settings;

/// <summary>
/// What a configuration key may hold: a single value, a section of known settings, named entries (a dictionary), a
/// list, or anything (free-form, such as YARP's Metadata and Transforms). Built from options types by reflection, so
/// the known keys are exactly the properties the binder fills.
/// </summary>
internal sealed class SettingShape
{
    private static readonly string[] FreeFormProperties = ["Metadata", "Transforms"];

    private SettingShape(SettingKind kind, Dictionary<string, SettingShape>? children = null, SettingShape? item = null, Type? valueType = null)
    {
        Kind = kind;
        Children = children ?? new Dictionary<string, SettingShape>(StringComparer.OrdinalIgnoreCase);
        Item = item;
        ValueType = valueType;
    }

    /// <summary>A single value read as text.</summary>
    public static SettingShape Value { get; } = new(SettingKind.Value, valueType: typeof(string));

    public static SettingShape Any { get; } = new(SettingKind.Any);

    public SettingKind Kind { get; }

    /// <summary>For a section: its known settings, compared case-insensitively as configuration keys are.</summary>
    public Dictionary<string, SettingShape> Children { get; }

    /// <summary>For named entries and lists: the shape of each entry.</summary>
    public SettingShape? Item { get; }

    /// <summary>For a single value: the type it is read as (<see cref="SettingValues"/> checks that it converts).</summary>
    public Type? ValueType { get; }

    /// <summary>A single value read as <paramref name="type"/> (a nullable type accepts an empty value).</summary>
    public static SettingShape ValueOf(Type type) => new(SettingKind.Value, valueType: type);

    public static SettingShape Section(IEnumerable<KeyValuePair<string, SettingShape>> children) =>
        new(SettingKind.Section, new Dictionary<string, SettingShape>(children, StringComparer.OrdinalIgnoreCase));

    public static SettingShape NamedEntries(SettingShape item) => new(SettingKind.NamedEntries, item: item);

    public static SettingShape List(SettingShape item) => new(SettingKind.List, item: item);

    /// <summary>The shape the configuration binder gives <paramref name="type"/>; <paramref name="ignored"/> properties are not settings.</summary>
    public static SettingShape Of(Type type, params string[] ignored)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (IsSingleValue(Nullable.GetUnderlyingType(type) ?? type))
        {
            return ValueOf(type);
        }

        type = Nullable.GetUnderlyingType(type) ?? type;

        if (DictionaryValueType(type) is { } valueType)
        {
            return NamedEntries(Of(valueType));
        }

        if (type.IsAssignableTo(typeof(IEnumerable)))
        {
            var itemType = type.IsArray ? type.GetElementType()! : type.GetInterfaces().Append(type)
                .First(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>)).GetGenericArguments()[0];
            return List(Of(itemType));
        }

        return Section(type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetIndexParameters().Length == 0 && !ignored.Contains(property.Name, StringComparer.Ordinal))
            .Select(property => KeyValuePair.Create(property.Name, OfProperty(property))));
    }

    private static SettingShape OfProperty(PropertyInfo property)
    {
        if (FreeFormProperties.Contains(property.Name, StringComparer.Ordinal))
        {
            return Any;
        }

        // YARP and Kestrel read SslProtocols as a list of names (a single value would be ignored), not as one flags value.
        return (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) == typeof(System.Security.Authentication.SslProtocols)
            ? List(ValueOf(typeof(System.Security.Authentication.SslProtocols)))
            : Of(property.PropertyType);
    }

    /// <summary>Adds <paramref name="other"/>'s settings to this section (a section described by several options types).</summary>
    public void MergeFrom(SettingShape other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, shape) in other.Children)
        {
            if (Children.TryGetValue(key, out var existing) && existing.Kind == SettingKind.Section && shape.Kind == SettingKind.Section)
            {
                existing.MergeFrom(shape);
            }
            else
            {
                Children[key] = shape;
            }
        }
    }

    private static bool IsSingleValue(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri) || type == typeof(Version);

    private static Type? DictionaryValueType(Type type) =>
        type.GetInterfaces().Append(type)
            .Where(candidate => candidate.IsGenericType
                && (candidate.GetGenericTypeDefinition() == typeof(IDictionary<,>) || candidate.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
                && candidate.GetGenericArguments()[0] == typeof(string))
            .Select(candidate => candidate.GetGenericArguments()[1])
            .FirstOrDefault();
}
