using System.Text.RegularExpressions;
using MtlsGateway.TestSupport.Processes;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>
/// The real MtlsGateway executable, as operators run it, in a working directory of the test's choosing: one-shot verbs
/// run to their end, or the gateway itself kept running while the test watches its console output.
/// </summary>
internal static partial class GatewayProcess
{
    private static readonly string Assembly = Path.Combine(AppContext.BaseDirectory, "MtlsGateway.dll");

    /// <summary>The gateway's assembly in the test's output folder.</summary>
    public static string AssemblyPath => Assembly;

    public static Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments) =>
        RunAsync(workingDirectory, new Dictionary<string, string?>(), arguments);

    public static Task<ProcessResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Assembly, .. arguments], Options(workingDirectory, environment));

    /// <summary>Runs a one-shot verb as a given command line (another user's, see <see cref="UnprivilegedUser"/>).</summary>
    public static Task<ProcessResult> RunAsAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment) =>
        ProcessRunner.RunAsync(fileName, arguments, Options(workingDirectory, environment));

    /// <summary>
    /// Runs the gateway in <paramref name="workingDirectory"/> expecting it to refuse to start, and returns the one line
    /// it printed on stderr, after checking the shape every start-up error has: exit code 1, exactly one line on stderr,
    /// starting "MtlsGateway: ", and no stack trace anywhere.
    /// </summary>
    public static async Task<string> StartupErrorAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null, params string[] arguments)
    {
        var result = await RunAsync(workingDirectory, environment ?? new Dictionary<string, string?>(), arguments);
        return OneLineError(result);
    }

    /// <summary>The one-line error of a run that must fail with exit code 1 (see <see cref="StartupErrorAsync"/>).</summary>
    public static string OneLineError(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Assert.True(result.ExitCode == 1, $"expected exit code 1, got {result.ExitCode}:\n{result.Output}");
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("MtlsGateway", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output, StringComparison.Ordinal);
        return line;
    }

    /// <summary>
    /// Runs a one-shot verb as an unprivileged user, so that file permissions apply as they do to the container's
    /// non-root user (see <see cref="UnprivilegedUser"/>).
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static async Task<ProcessResult> RunUnprivilegedAsync(string workingDirectory, params string[] arguments)
    {
        using var user = new UnprivilegedUser();
        return await user.RunAsync(workingDirectory, arguments);
    }

    /// <summary>Starts the gateway and waits until Kestrel reports the https address it listens on.</summary>
    public static Task<(RunningProcess Process, Uri Address)> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        StartAsync("dotnet", [Assembly, .. arguments], workingDirectory, environment);

    /// <summary>Starts the gateway as a given command line (another user's, see <see cref="UnprivilegedUser"/>).</summary>
    public static async Task<(RunningProcess Process, Uri Address)> StartAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var running = RunningProcess.Start(fileName, arguments, Options(workingDirectory, environment));
        try
        {
            var line = await running.WaitForLineAsync(l => ListeningOn().IsMatch(l), TimeSpan.FromSeconds(60));
            return (running, new Uri(ListeningOn().Match(line).Value));
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    private static ProcessOptions Options(string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        // Production unless the test names an environment.
        var variables = new Dictionary<string, string?>(environment);
        variables.TryAdd("ASPNETCORE_ENVIRONMENT", "Production");
        variables.TryAdd("DOTNET_ENVIRONMENT", "Production");
        return new ProcessOptions { WorkingDirectory = workingDirectory, Environment = variables };
    }

    [GeneratedRegex(@"https://127\.0\.0\.1:\d+")]
    private static partial Regex ListeningOn();
}
