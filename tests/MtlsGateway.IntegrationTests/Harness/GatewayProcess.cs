using System.Diagnostics;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>Runs the real MtlsGateway executable (as operators do) in a working directory of the test's choosing.</summary>
internal static class GatewayProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(string workingDirectory, params string[] arguments)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "MtlsGateway.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"MtlsGateway {string.Join(' ', arguments)} did not exit within 60 s; output: {await output}{await error}");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
