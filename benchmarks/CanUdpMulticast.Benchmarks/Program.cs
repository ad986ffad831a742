// BenchmarkDotNet micro-benchmarks: `dotnet run -c Release --project benchmarks/CanUdpMulticast.Benchmarks -- --filter '*'`.
// Log formats next to python-can 4.1.0: `... -- log-formats [python runs]`.
using BenchmarkDotNet.Running;
using CanUdpMulticast.Benchmarks.IO;

if (args is ["log-formats", .. var rest])
{
    return LogFormatHarness.Run(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
