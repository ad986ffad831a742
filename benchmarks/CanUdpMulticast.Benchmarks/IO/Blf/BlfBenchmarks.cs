using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using CanUdpMulticast.IO.Blf;

namespace CanUdpMulticast.Benchmarks.IO.Blf;

/// <summary>
/// BLF read and write throughput over a 1,000,000-frame file (classic 8-byte frames, 100 µs apart), next to
/// python-can 4.1.0 doing the same in the same run (<c>/usr/bin/python3</c> running the test suite's
/// <c>pycan_log.py</c>; its time includes starting the interpreter and importing python-can, about 0.5 s).
/// Times and allocations are per frame (OperationsPerInvoke); the python rows' allocation column only counts
/// the .NET side of starting the process.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BlfBenchmarks
{
    public const int Frames = 1_000_000;
    private const double Start = 1_700_000_000.0;
    private readonly byte[] _data = [0, 1, 2, 3, 4, 5, 6, 7];
    private string _dir = string.Empty;
    private string _file = string.Empty;
    private string _output = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("blf-bench-").FullName;
        _file = Path.Combine(_dir, "input.blf");
        _output = Path.Combine(_dir, "output.blf");
        WriteFrames(_file);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark(OperationsPerInvoke = Frames, Description = "BlfWriter (CanUdpMulticast)")]
    [BenchmarkCategory("Write")]
    public void Write() => WriteFrames(_output);

    [Benchmark(OperationsPerInvoke = Frames, Description = "BlfWriter level 1 (CanUdpMulticast)")]
    [BenchmarkCategory("Write")]
    public void WriteFastest() => WriteFrames(_output, new BlfWriterOptions { CompressionLevel = 1 });

    [Benchmark(OperationsPerInvoke = Frames, Baseline = true, Description = "BLFWriter (python-can 4.1.0)")]
    [BenchmarkCategory("Write")]
    public string WritePythonCan() => RunPython("bench-write", "blf", _output, Frames.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Benchmark(OperationsPerInvoke = Frames, Description = "BlfReader (CanUdpMulticast)")]
    [BenchmarkCategory("Read")]
    public long Read()
    {
        using var reader = new BlfReader(_file);
        long sum = 0;
        foreach (var m in reader)
        {
            sum += m.ArbitrationId;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Frames, Description = "BlfReader async (CanUdpMulticast)")]
    [BenchmarkCategory("Read")]
    public async Task<long> ReadAsync()
    {
        await using var reader = new BlfReader(_file);
        long sum = 0;
        await foreach (var m in reader)
        {
            sum += m.ArbitrationId;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Frames, Baseline = true, Description = "BLFReader (python-can 4.1.0)")]
    [BenchmarkCategory("Read")]
    public string ReadPythonCan() => RunPython("bench-read", "blf", _file);

    private void WriteFrames(string path, BlfWriterOptions? options = null)
    {
        using var writer = new BlfWriter(path, options);
        var frame = new CanMessage(0, _data) { Channel = 0 };
        for (var i = 0; i < Frames; i++)
        {
            writer.Write(frame with { ArbitrationId = (uint)(i & 0x7FF), Timestamp = Start + (i * 1e-4) });
        }
    }

    private static string RunPython(params string[] arguments)
    {
        var script = FindScript();
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"python-can benchmark failed with exit code {process.ExitCode}");
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "tests", "CanUdpMulticast.Tests", "IO", "Blf", "python", "pycan_log.py");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new FileNotFoundException("pycan_log.py not found above " + AppContext.BaseDirectory);
    }
}
