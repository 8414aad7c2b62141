using System.Text.Json;
using Microsoft.Extensions.Configuration.Json;

namespace MtlsGateway.Settings;

/// <summary>
/// Finds keys given twice in one object of a JSON settings file, differing only by case ("Authorization" and
/// "authorization"): configuration keys compare case-insensitively, so the later one would silently replace or merge
/// into the earlier (a second "authorization" could empty the DefaultPolicy of the first).
/// </summary>
internal static class DuplicateJsonKeys
{
    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static SettingProblem? Find(IConfiguration configuration)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return null;
        }

        foreach (var provider in root.Providers.OfType<JsonConfigurationProvider>())
        {
            if (provider.Source.FileProvider?.GetFileInfo(provider.Source.Path ?? string.Empty) is not { Exists: true, PhysicalPath: { } path })
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(File.ReadAllBytes(path), JsonOptions);
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                // Broken or gone since it was loaded: its provider keeps the last good settings and reports the file.
                continue;
            }

            using var parsed = document;
            if (Find(parsed.RootElement, string.Empty) is { } duplicate)
            {
                return new SettingProblem(duplicate, $"given twice in {Path.GetFileName(path)} with different case (keys compare case-insensitively, so one would silently replace the other)");
            }
        }

        return null;
    }

    private static string? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in element.EnumerateObject())
                {
                    var key = path.Length == 0 ? property.Name : $"{path}:{property.Name}";
                    if (!seen.Add(property.Name))
                    {
                        return key;
                    }

                    if (Find(property.Value, key) is { } nested)
                    {
                        return nested;
                    }
                }

                return null;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select((item, index) => Find(item, $"{path}:{index}")).FirstOrDefault(found => found is not null);
            default:
                return null;
        }
    }
}
