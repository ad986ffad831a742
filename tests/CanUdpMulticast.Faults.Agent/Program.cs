using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using CanUdpMulticast;
using CanUdpMulticast.Faults.Agent;
using CanUdpMulticast.Interfaces.UdpMulticast;

// A process of the fault battery. Frames carry a sequence number (data = uint64 little-endian), so a receiver can
// count gaps, duplicates and reordering per sender (one arbitration id per sender).
//
//   agent send GROUP PORT COUNT RATE ID [HOP]   RATE frames/s (0: as fast as possible); prints READY, then SENT <n>
//   agent recv GROUP PORT IDLE_S MAX_S [SAMPLE_S] [BUFFER]
//       prints READY, SAMPLE <s> <rss bytes> <gc heap bytes> <received> every SAMPLE_S, and RESULT key=value ... when no
//       frame came for IDLE_S (after the first) or MAX_S passed
var invariant = CultureInfo.InvariantCulture;
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: agent send GROUP PORT COUNT RATE ID [HOP] | agent recv GROUP PORT IDLE_S MAX_S [SAMPLE_S] [BUFFER]");
    return 2;
}

if (args[0] == "send" && args.Length >= 6)
{
    var count = long.Parse(args[3], invariant);
    var rate = double.Parse(args[4], invariant);
    var id = uint.Parse(args[5], NumberStyles.HexNumber, invariant);
    var hop = args.Length > 6 ? int.Parse(args[6], invariant) : 0;
    using var bus = new UdpMulticastBus(new UdpMulticastBusOptions { Channel = args[1], Port = int.Parse(args[2], invariant), HopLimit = hop });
    Console.WriteLine("READY");
    var data = new byte[8];
    var started = Stopwatch.GetTimestamp();
    long sent = 0;
    for (long seq = 0; seq < count; seq++)
    {
        if (rate > 0)
        {
            // Pace by the clock: frame n goes out at n / rate seconds.
            var due = seq / rate;
            // Sleeping (not spinning) while ahead: frames leave in small bursts each millisecond, and the sender
            // leaves the cores to the receivers.
            while (Stopwatch.GetElapsedTime(started).TotalSeconds < due)
            {
                Thread.Sleep(1);
            }
        }

        BinaryPrimitives.WriteUInt64LittleEndian(data, (ulong)seq);
        bus.Send(new CanMessage(id, data, isExtendedId: id > 0x7FF));
        sent++;
    }

    Console.WriteLine($"SENT {sent}");
    return 0;
}

if (args[0] == "recv" && args.Length >= 5)
{
    var idle = TimeSpan.FromSeconds(double.Parse(args[3], invariant));
    var max = TimeSpan.FromSeconds(double.Parse(args[4], invariant));
    var sample = TimeSpan.FromSeconds(args.Length > 5 ? double.Parse(args[5], invariant) : 5);
    var options = new UdpMulticastBusOptions { Channel = args[1], Port = int.Parse(args[2], invariant), HopLimit = 0 };
    if (args.Length > 6)
    {
        options = options with { ReceiveBufferSize = int.Parse(args[6], invariant) };
    }

    using var bus = new UdpMulticastBus(options);
    Console.WriteLine("READY");
    var tracker = new SequenceTracker();
    var started = Stopwatch.GetTimestamp();
    var lastFrame = started;
    var nextSample = sample;
    var any = false;
    while (true)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed >= nextSample)
        {
            using var self = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(invariant, $"SAMPLE {elapsed.TotalSeconds:F1} {self.WorkingSet64} {GC.GetTotalMemory(false)} {tracker.Received}"));
            nextSample += sample;
        }

        if (elapsed >= max || (any && Stopwatch.GetElapsedTime(lastFrame) >= idle))
        {
            break;
        }

        if (bus.Receive(TimeSpan.FromMilliseconds(100)) is { } message)
        {
            any = true;
            lastFrame = Stopwatch.GetTimestamp();
            tracker.Add(message);
        }
    }

    var stats = bus.Statistics;
    var multicast = bus.MulticastStatistics;
    Console.WriteLine(string.Create(invariant,
        $"RESULT received={tracker.Received} dropped={stats.FramesDropped} kernelDrops={multicast.KernelDrops} malformed={stats.MalformedFrames} duplicates={tracker.Duplicates} reordered={tracker.Reordered} expected={tracker.Expected}"));
    return 0;
}

Console.Error.WriteLine($"unknown arguments: {string.Join(' ', args)}");
return 2;
