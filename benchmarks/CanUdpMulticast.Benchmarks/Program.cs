// BenchmarkDotNet micro-benchmarks: `dotnet run -c Release --project benchmarks/CanUdpMulticast.Benchmarks -- --filter '*'`.
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
