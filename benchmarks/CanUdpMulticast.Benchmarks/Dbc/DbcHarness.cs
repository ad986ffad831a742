using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Running;

namespace CanUdpMulticast.Benchmarks.Dbc;

/// <summary>
/// Runs <see cref="DbcBenchmarks"/> and canmatrix 0.9.5 (Debian python3-canmatrix) decoding and encoding the same
/// messages and payloads in one run, and prints one table with the ratios:
/// <c>dotnet run -c Release --project benchmarks/CanUdpMulticast.Benchmarks -- dbc [python seconds]</c>.
/// </summary>
public static class DbcHarness
{
    private const string Python = "/usr/bin/python3";

    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
        var directory = Directory.CreateTempSubdirectory("canudp-dbc-bench-").FullName;
        try
        {
            var dbcPath = Path.Combine(directory, "bench.dbc");
            File.WriteAllText(dbcPath, DbcBenchmarkData.Text);
            var summary = BenchmarkRunner.Run<DbcBenchmarks>();
            var table = new StringBuilder();
            table.AppendLine("| Signals | Operation | CanUdpMulticast (ns/frame) | frames/s | allocated (B/frame) | canmatrix 0.9.5 (ns/frame) | frames/s | speed-up |");
            table.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
            foreach (var n in DbcBenchmarkData.SignalCounts)
            {
                var payloads = Path.Combine(directory, $"payloads{n}.hex");
                File.WriteAllLines(payloads, DbcBenchmarkData.Payloads(n, 256).Select(Convert.ToHexString));
                var python = RunPython(dbcPath, DbcBenchmarkData.MessageName(n), payloads, seconds);
                foreach (var operation in new[] { "Decode", "Encode" })
                {
                    var report = summary.Reports.SingleOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == operation
                        && (int)r.BenchmarkCase.Parameters["Signals"] == n);
                    if (report?.ResultStatistics is null)
                    {
                        Console.Error.WriteLine($"No BenchmarkDotNet result for {operation} {n}; see the log above.");
                        return 1;
                    }

                    var ns = report.ResultStatistics.Mean;
                    var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
                    var theirs = python.GetProperty(operation == "Decode" ? "decode_ns" : "encode_ns").GetDouble();
                    table.AppendLine(CultureInfo.InvariantCulture,
                        $"| {n} | {operation} | {ns:F0} | {1e9 / ns:N0} | {allocated} | {theirs:F0} | {1e9 / theirs:N0} | {theirs / ns:F0}x |");
                }
            }

            Console.WriteLine();
            Console.WriteLine("## DBC decode/encode: CanUdpMulticast.Dbc vs canmatrix 0.9.5 (same machine, same run)");
            Console.WriteLine(table.ToString());
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static JsonElement RunPython(string dbc, string message, string payloads, double seconds)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Dbc", "python", "canmatrix_bench.py");
        var start = new ProcessStartInfo(Python, [script, dbc, message, payloads, seconds.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"canmatrix_bench.py failed ({process.ExitCode}); is python3-canmatrix installed?");
        }

        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
