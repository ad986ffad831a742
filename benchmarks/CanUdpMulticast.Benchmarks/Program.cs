// BenchmarkDotNet micro-benchmarks: `dotnet run -c Release --project benchmarks/CanUdpMulticast.Benchmarks -- --filter '*'`.
// Log formats next to python-can 4.1.0: `... -- log-formats [python runs]`.
// DBC decode/encode next to canmatrix 0.9.5: `... -- dbc [python seconds]`.
using BenchmarkDotNet.Running;
using CanUdpMulticast.Benchmarks.Dbc;
using CanUdpMulticast.Benchmarks.IO;

if (args is ["log-formats", .. var rest])
{
    return LogFormatHarness.Run(rest);
}

if (args is ["dbc", .. var dbcArgs])
{
    return DbcHarness.Run(dbcArgs);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
