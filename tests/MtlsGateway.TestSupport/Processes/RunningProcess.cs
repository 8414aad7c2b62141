using System.Collections.Concurrent;
using System.Diagnostics;

namespace MtlsGateway.TestSupport.Processes;

/// <summary>
/// A program kept running while the test watches the lines it prints (a server, the gateway itself). Disposing kills
/// it and its children, and only them.
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string command;
    private readonly ConcurrentQueue<string> lines = new();

    private RunningProcess(Process process, string command)
    {
        this.process = process;
        this.command = command;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Every line printed so far, standard output and error interleaved as they came.</summary>
    public string Output => string.Join('\n', lines);

    public bool HasExited => process.HasExited;

    public static RunningProcess Start(string fileName, IEnumerable<string> arguments, ProcessOptions? options = null) =>
        new(ProcessRunner.Start(fileName, arguments, options ?? ProcessOptions.Default, redirectInput: false), ProcessRunner.Describe(fileName, arguments));

    /// <summary>Waits for the first line that matches, failing early (with the output) if the process exits.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (process.HasExited)
            {
                process.WaitForExit(); // drains the asynchronous readers
                if (lines.FirstOrDefault(match) is { } last)
                {
                    return last;
                }

                throw new InvalidOperationException($"{command} exited with {process.ExitCode} before the expected line; it printed:\n{Output}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{command}: no matching line within {timeout.TotalSeconds:0} s; it printed:\n{Output}");
    }

    /// <summary>Waits for the process to end by itself; its output is complete afterwards.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{command} did not exit within {timeout.TotalSeconds:0} s; it printed:\n{Output}");
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
