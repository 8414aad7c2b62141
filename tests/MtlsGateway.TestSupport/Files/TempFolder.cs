using System.Text;

namespace MtlsGateway.TestSupport.Files;

/// <summary>A fresh folder under the system's temp folder, deleted (as far as it can be) on Dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "mtlsgw-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    /// <summary>The full path of <paramref name="relativePath"/> in this folder.</summary>
    public string PathOf(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    public string Write(string relativePath, byte[] content)
    {
        var file = PathOf(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, content);
        return file;
    }

    public string Write(string relativePath, string content) => Write(relativePath, Encoding.UTF8.GetBytes(content));

    /// <summary>Replaces a file in this folder through a rename, as <see cref="AtomicFile.Write"/> does.</summary>
    public string WriteAtomically(string relativePath, string content) => AtomicFile.Write(PathOf(relativePath), content);

    public string CreateFolder(string relativePath) => Directory.CreateDirectory(PathOf(relativePath)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A watcher or a child process may still hold a file for a moment; the OS cleans its temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // A test made a file unreadable on purpose.
        }
    }
}
