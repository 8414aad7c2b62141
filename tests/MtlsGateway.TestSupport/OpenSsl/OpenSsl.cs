using MtlsGateway.TestSupport.Processes;

namespace MtlsGateway.TestSupport.OpenSsl;

/// <summary>The openssl command line: an independent TLS peer, CA and OCSP responder.</summary>
public static class OpenSsl
{
    /// <summary>Runs openssl and returns what it printed, whatever its exit code (s_client's is not meaningful).</summary>
    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, string? workingDirectory = null, string? standardInput = null) =>
        ProcessRunner.RunAsync("openssl", arguments, new ProcessOptions { WorkingDirectory = workingDirectory, StandardInput = standardInput });

    /// <summary>Runs openssl in <paramref name="workingDirectory"/> and fails with its output unless it succeeds.</summary>
    public static string Run(string workingDirectory, params string[] arguments) =>
        ProcessRunner.Run("openssl", arguments, new ProcessOptions { WorkingDirectory = workingDirectory }).EnsureSuccess().StandardOutput;
}
