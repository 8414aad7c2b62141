namespace MtlsGateway.Validation.Certificates;

/// <summary>
/// Reads a configured file without trusting what it is: symbolic links are followed to their final target (a loop is
/// an error, not a hang), a file that reports no length (an empty file, a FIFO, a device) is not opened, and no more
/// than a limit is read, so a file that grows while it is read, or a link to an endless device, cannot exhaust memory.
/// </summary>
public static class BoundedFile
{
    /// <summary>Larger than any certificate bundle; certificate files beyond it are refused.</summary>
    public const long CertificateLimit = 16L * 1024 * 1024;

    /// <summary>Large CAs publish CRLs of tens of megabytes; CRL files beyond this are refused.</summary>
    public const long CrlLimit = 256L * 1024 * 1024;

    /// <exception cref="IOException">The file is missing, a link loop, a folder, larger than <paramref name="limit"/>, or cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static byte[] Read(string path, long limit)
    {
        using var stream = Open(path, limit);
        if (stream is null)
        {
            return [];
        }

        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new IOException($"larger than {limit / (1024 * 1024)} MiB");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Feeds at most <paramref name="limit"/> bytes of the file to <paramref name="consume"/>; returns whether the file was longer.</summary>
    public static bool Stream(string path, long limit, Action<ReadOnlySpan<byte>> consume)
    {
        ArgumentNullException.ThrowIfNull(consume);
        using var stream = Open(path, limit);
        if (stream is null)
        {
            return false;
        }

        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (total + read > limit)
            {
                consume(chunk.AsSpan(0, (int)(limit - total)));
                return true;
            }

            total += read;
            consume(chunk.AsSpan(0, read));
        }

        return false;
    }

    private static FileStream? Open(string path, long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        FileSystemInfo info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            info = info.ResolveLinkTarget(returnFinalTarget: true) ?? throw new FileNotFoundException("the link leads nowhere", path);
        }

        if (info is DirectoryInfo || Directory.Exists(info.FullName))
        {
            throw new IOException("is a folder, not a file");
        }

        var file = (FileInfo)info;
        if (!file.Exists)
        {
            throw new FileNotFoundException("no such file", path);
        }

        return file.Length == 0 ? null : new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
    }
}
