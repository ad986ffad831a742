using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CanUdpMulticast.Dbc;

namespace CanUdpMulticast.Benchmarks.Dbc;

/// <summary>Decode (database lookup by id + every signal into caller storage) and encode (every signal) per frame.</summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class DbcBenchmarks
{
    private const int Frames = 256;
    private readonly DecodedSignal[] _storage = new DecodedSignal[64];
    private readonly byte[] _buffer = new byte[64];
    private CanMessage[] _frames = [];
    private double[][] _values = [];
    private DbcMessage _message = null!;

    [Params(8, 32, 64)]
    public int Signals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _message = DbcBenchmarkData.Database.GetMessage(DbcBenchmarkData.MessageName(Signals));
        var payloads = DbcBenchmarkData.Payloads(Signals, Frames);
        _frames = [.. payloads.Select(p => _message.CreateFrame(p))];
        _values = [.. payloads.Select(p =>
        {
            var decoded = new DecodedSignal[_message.Signals.Count];
            _message.Decode(p, decoded);
            return decoded.Select(d => d.Value).ToArray();
        })];
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public double Decode()
    {
        var sum = 0.0;
        var db = DbcBenchmarkData.Database;
        foreach (ref readonly var frame in _frames.AsSpan())
        {
            db.TryDecode(frame, _storage, out _, out var present);
            sum += present + _storage[0].Value;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int Encode()
    {
        var sum = 0;
        foreach (var values in _values)
        {
            sum += _message.Encode(values, _buffer);
        }

        return sum;
    }

    /// <summary>In-process (no generated project to build on a busy machine), 3 warm-up and 10 measured iterations.</summary>
    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig() =>
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithToolchain(InProcessEmitToolchain.Instance));
    }
}
