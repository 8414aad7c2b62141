namespace MtlsGateway.TestSupport.Processes;

/// <summary>What a finished process left: its exit code and everything it printed.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Standard output followed by standard error.</summary>
    public string Output => StandardOutput + StandardError;

    /// <summary>Throws, naming the command, its exit code and its output, unless it exited 0.</summary>
    public ProcessResult EnsureSuccess() => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"{Command} exited {ExitCode}:\n{StandardError}{StandardOutput}");
}
