namespace MtlsGateway.Hosting;

/// <summary>Relative paths in settings resolve against the content root (the current directory; `dotnet run` uses the project folder).</summary>
internal static class ContentRootPaths
{
    public static void Resolve(List<string> paths, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(paths);
        for (var i = 0; i < paths.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(paths[i]))
            {
                paths[i] = Path.GetFullPath(paths[i], contentRoot);
            }
        }
    }
}
