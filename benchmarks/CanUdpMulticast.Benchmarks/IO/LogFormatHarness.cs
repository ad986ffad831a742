using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CanUdpMulticast.Benchmarks.IO;

/// <summary>
/// Runs <see cref="LogFormatBenchmarks"/> and python-can 4.1.0 reading and writing the same 1,000,000-frame files in
/// one run, and prints one table with the ratios:
/// <c>dotnet run -c Release --project benchmarks/CanUdpMulticast.Benchmarks -- log-formats</c>.
/// </summary>
public static class LogFormatHarness
{
    private const string Python = "/usr/bin/python3";

    public static int Run(string[] args)
    {
        var pythonRuns = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2;
        var directory = Path.Combine(Path.GetTempPath(), "canudp-log-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("CANUDP_LOG_BENCH_DIR", directory);
        try
        {
            string[] formats = [".log", ".asc"];
            var files = formats.ToDictionary(f => f, f => LogBenchmarkData.EnsureFile(directory, f));
            var summary = BenchmarkRunner.Run<LogFormatBenchmarks>();
            var table = new StringBuilder();
            table.AppendLine(CultureInfo.InvariantCulture, $"| Format | Operation | CanUdpMulticast (ns/frame) | frames/s | allocated (B/frame) | python-can 4.1.0 (ns/frame) | frames/s | python peak RSS | speed-up |");
            table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var format in formats)
            {
                foreach (var operation in new[] { "Read", "Write" })
                {
                    var report = summary.Reports.SingleOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == operation
                        && (string)r.BenchmarkCase.Parameters["Format"] == format);
                    if (report?.ResultStatistics is null)
                    {
                        Console.Error.WriteLine($"No BenchmarkDotNet result for {operation} {format}; see the log above.");
                        return 1;
                    }

                    var dotnetNs = report.ResultStatistics.Mean;
                    var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
                    var python = RunPython(operation, format, files[format], directory, pythonRuns);
                    var pythonNs = python.Seconds * 1e9 / python.Frames;
                    table.AppendLine(CultureInfo.InvariantCulture,
                        $"| {format} | {operation} | {dotnetNs:F0} | {1e9 / dotnetNs:N0} | {allocated} | {pythonNs:F0} | {1e9 / pythonNs:N0} | {python.MaxRssKb / 1024} MiB | {pythonNs / dotnetNs:F1}x |");
                }
            }

            Console.WriteLine();
            Console.WriteLine("## Log formats: CanUdpMulticast vs python-can 4.1.0 (same machine, same run)");
            Console.WriteLine(table.ToString());
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static PythonResult RunPython(string operation, string format, string file, string directory, int runs)
    {
        var script = FindScript();
        PythonResult? best = null;
        for (var run = 0; run < runs; run++)
        {
            var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(operation.ToLowerInvariant());
            start.ArgumentList.Add(format.TrimStart('.'));
            if (operation == "Read")
            {
                start.ArgumentList.Add(file);
            }
            else
            {
                start.ArgumentList.Add(Path.Combine(directory, "python-written" + format));
                start.ArgumentList.Add(LogBenchmarkData.Frames.ToString(CultureInfo.InvariantCulture));
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"python-can benchmark failed ({process.ExitCode}); is python3-can installed?");
            }

            using var json = JsonDocument.Parse(output);
            var result = new PythonResult(
                json.RootElement.GetProperty("seconds").GetDouble(),
                json.RootElement.GetProperty("frames").GetInt64(),
                json.RootElement.GetProperty("max_rss_kb").GetInt64());
            Console.WriteLine($"python-can {operation} {format}: {result.Seconds:F2} s for {result.Frames} frames");
            if (best is null || result.Seconds < best.Seconds)
            {
                best = result;
            }
        }

        return best!;
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "benchmarks", "CanUdpMulticast.Benchmarks", "IO", "python", "pycan_bench.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("benchmarks/CanUdpMulticast.Benchmarks/IO/python/pycan_bench.py not found above " + AppContext.BaseDirectory);
    }

    private sealed record PythonResult(double Seconds, long Frames, long MaxRssKb);
}
