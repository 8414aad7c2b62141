using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(MtlsGateway.Benchmarks.Revocation.LargeCrlBenchmarks).Assembly).Run(args);
