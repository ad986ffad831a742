using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CanUdpMulticast.IO;

namespace CanUdpMulticast.Benchmarks.IO;

/// <summary>
/// Reading and writing a 1,000,000-frame candump <c>.log</c> and Vector ASC file; times and allocations are per
/// frame. <see cref="LogFormatHarness"/> runs these next to python-can 4.1.0 doing the same.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OneMillionFramesConfig))]
public class LogFormatBenchmarks
{
    private string _input = string.Empty;
    private string _output = string.Empty;
    private CanMessage[] _ring = [];

    /// <summary>The format's suffix.</summary>
    [Params(".log", ".asc")]
    public string Format { get; set; } = ".log";

    [GlobalSetup]
    public void Setup()
    {
        _input = LogBenchmarkData.EnsureFile(LogBenchmarkData.Directory, Format);
        _output = Path.Combine(LogBenchmarkData.Directory, "written" + Format);
        _ring = LogBenchmarkData.Ring();
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_output);

    /// <summary>Reads the whole file (per frame).</summary>
    [Benchmark(OperationsPerInvoke = LogBenchmarkData.Frames)]
    public long Read()
    {
        using var reader = CanLogReader.Open(_input);
        long bytes = 0;
        foreach (var frame in reader)
        {
            bytes += frame.DataLength;
        }

        return bytes;
    }

    /// <summary>Writes a whole file (per frame).</summary>
    [Benchmark(OperationsPerInvoke = LogBenchmarkData.Frames)]
    public void Write()
    {
        using var writer = CanLogWriter.Create(_output);
        var ring = _ring;
        for (var i = 0; i < LogBenchmarkData.Frames; i++)
        {
            writer.Write(ring[i % ring.Length] with { Timestamp = LogBenchmarkData.Start + (i * LogBenchmarkData.Step) });
        }
    }

    /// <summary>
    /// Each invocation handles a whole file: one invocation per iteration. In process: a run costs seconds per
    /// invocation, so a separate benchmark process gains nothing, and its build times out on a busy machine.
    /// </summary>
    private sealed class OneMillionFramesConfig : ManualConfig
    {
        public OneMillionFramesConfig()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1)
                .WithToolchain(InProcessEmitToolchain.Instance));
        }
    }
}
