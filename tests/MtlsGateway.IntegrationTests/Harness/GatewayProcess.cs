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

    public static Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments) =>
        RunAsync(workingDirectory, new Dictionary<string, string?>(), arguments);

    public static Task<ProcessResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Assembly, .. arguments], Options(workingDirectory, environment));

    /// <summary>Starts the gateway and waits until Kestrel reports the https address it listens on.</summary>
    public static async Task<(RunningProcess Process, Uri Address)> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var running = RunningProcess.Start("dotnet", [Assembly], Options(workingDirectory, environment));
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
        var variables = new Dictionary<string, string?>(environment)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        return new ProcessOptions { WorkingDirectory = workingDirectory, Environment = variables };
    }

    [GeneratedRegex(@"https://127\.0\.0\.1:\d+")]
    private static partial Regex ListeningOn();
}
