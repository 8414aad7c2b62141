using System.Diagnostics;

namespace MtlsGateway.TestSupport.Processes;

/// <summary>
/// Runs a program to its end within a bound, with its standard output and error captured: the one way the tests run
/// openssl, softhsm2-util, pkcs11-tool, promtool or the gateway's own executable.
/// </summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, ProcessOptions? options = null)
    {
        options ??= ProcessOptions.Default;
        var command = Describe(fileName, arguments);
        using var process = Start(fileName, arguments, options, redirectInput: true);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (options.StandardInput is not null)
        {
            await process.StandardInput.WriteAsync(options.StandardInput);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(options.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{command} did not exit within {options.Timeout.TotalSeconds:0} s; it printed:\n{await error}{await output}");
        }

        return new ProcessResult(command, process.ExitCode, await output, await error);
    }

    /// <summary>The blocking form, for fixtures that prepare files in their constructor.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, ProcessOptions? options = null) =>
        Task.Run(() => RunAsync(fileName, arguments, options)).GetAwaiter().GetResult();

    internal static Process Start(string fileName, IEnumerable<string> arguments, ProcessOptions options, bool redirectInput)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        if (options.WorkingDirectory is not null)
        {
            start.WorkingDirectory = options.WorkingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in options.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"cannot run {fileName} ({e.Message}): tests/prerequisites.sh installs every program the tests use", e);
        }
    }

    internal static string Describe(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a)));
}
