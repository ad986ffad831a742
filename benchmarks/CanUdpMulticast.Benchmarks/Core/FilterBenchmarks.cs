using BenchmarkDotNet.Attributes;
using CanUdpMulticast;

namespace CanUdpMulticast.Benchmarks.Core;

/// <summary>Cost of python-can filter matching per frame.</summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private readonly CanFilter[] _filters = [new(0x100, 0x700), new(0x18FF0000, 0x1FFF0000, true), new(0x7DF, 0x7FF)];
    private readonly CanMessage _message = new(0x7DF, [2, 1, 0xC, 0, 0, 0, 0, 0]);

    [Benchmark]
    public bool MatchAnyOfThree() => CanFilter.MatchesAny(_filters, _message);
}
