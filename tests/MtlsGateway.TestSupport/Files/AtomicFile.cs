namespace MtlsGateway.TestSupport.Files;

public static class AtomicFile
{
    /// <summary>Replaces a file the way operators and secret syncs should: write beside it, then rename over it.</summary>
    public static string Write(string path, string content)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp");
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
