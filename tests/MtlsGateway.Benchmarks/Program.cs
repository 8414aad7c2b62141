using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MtlsGateway.Benchmarks;

// BenchmarkDotNet rebuilds the benchmarks (and src and TestSupport) in Release, one process, no shared compiler: on a
// busy 2-core machine that takes longer than its default 2 minutes.
var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10));

// --cpu-time: measure CPU time (in process, 5 warm-up and 30 measured iterations) instead of wall time, for A/B
// comparisons on a machine other work keeps busy.
if (args.Contains("--cpu-time"))
{
    args = [.. args.Where(argument => argument != "--cpu-time")];
    config = config.AddJob(Job.Default
        .WithClock(new ProcessCpuClock())
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(5)
        .WithIterationCount(30)
        .WithId("CpuTime"));
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
