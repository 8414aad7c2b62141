using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// BenchmarkDotNet rebuilds the benchmarks (and src and TestSupport) in Release, one process, no shared compiler: on a
// busy 2-core machine that takes longer than its default 2 minutes.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10)));
