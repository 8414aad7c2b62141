using MtlsGateway.TestSupport.Processes;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>
/// Runs the gateway as a user without privileges, as the container image does, so that file permissions apply: CI runs
/// as root, for whom <c>chmod 000</c> changes nothing. As root the gateway is started through <c>setpriv</c> as
/// nobody (65534) from a copy of the build output that user can read; as any other user it simply runs as that user.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class UnprivilegedUser : IDisposable
{
    private const string Nobody = "65534";
    private readonly string? binaries;

    public UnprivilegedUser()
    {
        if (!IsRoot)
        {
            return;
        }

        // The build output may sit under a folder only root can enter (a clone in /root): nobody gets a copy.
        binaries = Directory.CreateTempSubdirectory("mtlsgateway-bin-").FullName;
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory))
        {
            File.Copy(file, Path.Combine(binaries, Path.GetFileName(file)));
        }

        OpenToAll(binaries);
    }

    public static bool IsRoot => Environment.UserName == "root" || ProcessRunner.Run("id", ["-u"]).StandardOutput.Trim() == "0";

    /// <summary>Gives the folder (a content root) to the unprivileged user, so the gateway can read and write it.</summary>
    public static void Own(string folder)
    {
        if (IsRoot)
        {
            ProcessRunner.Run("chown", ["-R", $"{Nobody}:{Nobody}", folder]).EnsureSuccess();
        }
    }

    public Task<(RunningProcess Process, Uri Address)> StartGatewayAsync(string contentRoot, IReadOnlyDictionary<string, string?> environment)
    {
        var variables = new Dictionary<string, string?>(environment) { ["HOME"] = contentRoot };
        return binaries is null
            ? GatewayProcess.StartAsync("dotnet", [GatewayProcess.AssemblyPath], contentRoot, variables)
            : GatewayProcess.StartAsync("setpriv", [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "dotnet", Path.Combine(binaries, "MtlsGateway.dll")], contentRoot, variables);
    }

    /// <summary>Runs a one-shot verb of the gateway as this user, with a home folder it may write.</summary>
    public Task<ProcessResult> RunAsync(string workingDirectory, IReadOnlyList<string> arguments)
    {
        var variables = new Dictionary<string, string?> { ["HOME"] = Path.GetTempPath(), ["DOTNET_CLI_HOME"] = Path.GetTempPath() };
        return binaries is null
            ? GatewayProcess.RunAsync(workingDirectory, variables, [.. arguments])
            : GatewayProcess.RunAsAsync("setpriv", [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "dotnet", Path.Combine(binaries, "MtlsGateway.dll"), .. arguments], workingDirectory, variables);
    }

    public void Dispose()
    {
        if (binaries is not null)
        {
            Directory.Delete(binaries, recursive: true);
        }
    }

    private static void OpenToAll(string folder)
    {
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        }
    }
}
