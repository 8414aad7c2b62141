using System.Diagnostics;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>Runs the openssl command-line tool, a real and independent TLS peer.</summary>
internal static class OpenSsl
{
    public static async Task<string> RunAsync(string arguments, string? standardInput = null)
    {
        var start = new ProcessStartInfo("openssl", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var process = Process.Start(start)!;
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return await output + await error;
    }
}
