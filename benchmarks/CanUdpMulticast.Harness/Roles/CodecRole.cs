using System.Diagnostics;
using CanUdpMulticast.Harness.Native;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Wire;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// Codec cost per classic 8-byte frame, next to python-can's <c>pack_message</c>/<c>unpack_message(check=True)</c> in the
/// same run (the BenchmarkDotNet WireCodecBenchmarks give the same numbers with more statistics).
/// </summary>
internal static class CodecRole
{
    public static void Run(RoleArgs args)
    {
        var iterations = args.Int("iterations", 2_000_000);
        var warmup = TimeSpan.FromSeconds(args.Double("warmup", 2));
        var message = new CanMessage(0x123, [1, 2, 3, 4, 5, 6, 7, 8]) { Timestamp = 1_700_000_000.123456 };
        var buffer = new byte[WireCodec.MaxDatagramSize];
        var datagram = buffer.AsMemory(0, WireCodec.Encode(message, buffer));
        Report.Ready();

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < warmup)
        {
            Encode(message, buffer, 10_000);
            Decode(datagram, 10_000);
        }

        // CPU time, not wall time (other processes on the CPU would inflate wall time), in 10 chunks each; the median
        // chunk is reported, so a chunk that still ran before the JIT's final code was installed does not count.
        const int Chunks = 10;
        var chunk = Math.Max(1, iterations / Chunks);
        var encode = new double[Chunks];
        var decode = new double[Chunks];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        long check = 0;
        for (var c = 0; c < Chunks; c++)
        {
            var start = Libc.ProcessCpuSeconds();
            check += Encode(message, buffer, chunk);
            encode[c] = (Libc.ProcessCpuSeconds() - start) * 1e9 / chunk;
            start = Libc.ProcessCpuSeconds();
            check += Decode(datagram, chunk);
            decode[c] = (Libc.ProcessCpuSeconds() - start) * 1e9 / chunk;
        }

        var bytesPerFrame = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (2.0 * chunk * Chunks);
        Array.Sort(encode);
        Array.Sort(decode);
        var encodeNs = (encode[(Chunks / 2) - 1] + encode[Chunks / 2]) / 2;
        var decodeNs = (decode[(Chunks / 2) - 1] + decode[Chunks / 2]) / 2;
        Report.Result([("encode_ns", encodeNs), ("decode_ns", decodeNs), ("allocated_bytes_per_op", bytesPerFrame), ("check", check % 7)]);
    }

    private static long Encode(in CanMessage message, byte[] buffer, int iterations)
    {
        long total = 0;
        for (var i = 0; i < iterations; i++)
        {
            total += WireCodec.Encode(message, buffer);
        }

        return total;
    }

    private static long Decode(ReadOnlyMemory<byte> datagram, int iterations)
    {
        long total = 0;
        for (var i = 0; i < iterations; i++)
        {
            // Decode validates the frame with python-can's check=True rules.
            if (WireCodec.Decode(datagram, out var decoded) == MalformedDatagramReason.None)
            {
                total += decoded.ArbitrationId;
            }
        }

        return total;
    }
}
