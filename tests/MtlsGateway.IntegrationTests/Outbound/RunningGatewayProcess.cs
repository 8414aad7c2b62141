using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MtlsGateway.IntegrationTests.Outbound;

/// <summary>
/// The real MtlsGateway executable with environment variables of the test's choosing: one-shot verbs, or the gateway
/// itself kept running while the test watches its console output. Only ever stops the process it started.
/// </summary>
internal sealed partial class RunningGatewayProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private RunningGatewayProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', lines);

    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        await using var run = new RunningGatewayProcess(Process.Start(StartInfo(workingDirectory, environment, arguments))!);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await run.process.WaitForExitAsync(timeout.Token);
        run.process.WaitForExit(); // drains the asynchronous readers
        return (run.process.ExitCode, run.Output);
    }

    /// <summary>Starts the gateway and waits until Kestrel reports the https address it listens on.</summary>
    public static async Task<(RunningGatewayProcess Process, Uri Address)> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var running = new RunningGatewayProcess(Process.Start(StartInfo(workingDirectory, environment, []))!);
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

    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"MtlsGateway exited with {process.ExitCode}: {Output}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no matching output line within {timeout}; output so far: {Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MtlsGateway.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    [GeneratedRegex(@"https://127\.0\.0\.1:\d+")]
    private static partial Regex ListeningOn();
}
