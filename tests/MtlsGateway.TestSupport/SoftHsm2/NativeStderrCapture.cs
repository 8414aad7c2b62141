using System.Runtime.InteropServices;

namespace MtlsGateway.TestSupport.SoftHsm2;

/// <summary>Redirects the process's native stderr (fd 2, where libp11 prints its errors) to a file while alive.</summary>
public sealed class NativeStderrCapture : IDisposable
{
    private const int StandardError = 2;
    private readonly int saved;
    private readonly string path;
    private readonly FileStream file;
    private bool restored;

    public NativeStderrCapture(string path)
    {
        this.path = path;
        file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite);
        saved = Dup(StandardError);
        if (saved < 0 || Dup2((int)file.SafeFileHandle.DangerousGetHandle(), StandardError) < 0)
        {
            throw new InvalidOperationException("cannot redirect native stderr");
        }
    }

    public string Text()
    {
        Restore();
        return File.ReadAllText(path);
    }

    public void Dispose()
    {
        Restore();
        file.Dispose();
    }

    private void Restore()
    {
        if (!restored)
        {
            _ = Dup2(saved, StandardError);
            _ = Close(saved);
            restored = true;
        }
    }

    [DllImport("libc", EntryPoint = "dup")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Dup(int fd);

    [DllImport("libc", EntryPoint = "dup2")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Dup2(int oldFd, int newFd);

    [DllImport("libc", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
