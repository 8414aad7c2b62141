using Perfolizer.Horology;

namespace MtlsGateway.Benchmarks;

/// <summary>
/// A BenchmarkDotNet clock that counts the process's CPU time instead of wall time: on a shared, loaded machine the
/// time a benchmark spends waiting for a core swamps what it costs, and CPU time leaves that wait out. Resolution is
/// getrusage's (1 µs), ample for iterations of hundreds of milliseconds.
/// </summary>
internal sealed class ProcessCpuClock : IClock
{
    public string Title => "Process CPU time";

    public bool IsAvailable => true;

    public Frequency Frequency { get; } = new(TimeSpan.TicksPerSecond);

    public long GetTimestamp() => Environment.CpuUsage.TotalTime.Ticks;
}
