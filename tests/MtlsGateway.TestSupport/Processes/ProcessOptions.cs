namespace MtlsGateway.TestSupport.Processes;

/// <summary>How <see cref="ProcessRunner"/> and <see cref="RunningProcess"/> start a program.</summary>
public sealed record ProcessOptions
{
    public static readonly ProcessOptions Default = new();

    /// <summary>The working directory; the test process's own when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set for the child only (a null value removes an inherited one).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Written to the child's standard input, which is then closed; null leaves it closed at once.</summary>
    public string? StandardInput { get; init; }

    /// <summary>A run that takes longer is killed (with its children) and reported with what it printed so far.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
