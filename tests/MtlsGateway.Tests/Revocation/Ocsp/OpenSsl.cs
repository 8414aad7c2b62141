using System.Diagnostics;

namespace MtlsGateway.Tests.Revocation.Ocsp;

/// <summary>Runs the real openssl command line in a working folder.</summary>
internal static class OpenSsl
{
    public static void Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("openssl " + string.Join(' ', arguments) + " did not finish");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}{output.Result}");
        }
    }
}
