using System.Runtime.InteropServices;

namespace MtlsGateway.Tests.Pkcs11;

/// <summary>Redirects the process's native stderr (fd 2, where libp11 prints its errors) to a file while alive.</summary>
internal sealed class NativeStderrCapture : IDisposable
{
    private const int StandardError = 2;
    private readonly int _saved;
    private readonly string _path;
    private readonly FileStream _file;
    private bool _restored;

    public NativeStderrCapture(string path)
    {
        _path = path;
        _file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite);
        _saved = Dup(StandardError);
        if (_saved < 0 || Dup2((int)_file.SafeFileHandle.DangerousGetHandle(), StandardError) < 0)
        {
            throw new InvalidOperationException("cannot redirect native stderr");
        }
    }

    public string Text()
    {
        Restore();
        return File.ReadAllText(_path);
    }

    public void Dispose()
    {
        Restore();
        _file.Dispose();
    }

    private void Restore()
    {
        if (!_restored)
        {
            _ = Dup2(_saved, StandardError);
            _ = Close(_saved);
            _restored = true;
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
