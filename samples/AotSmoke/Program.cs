// Native AOT smoke test: the virtual bus, the UDP multicast bus (two nodes, hop limit 0) and a BLF round trip.
// Prints one line per check and "aot-smoke: ok"; exits 1 on the first failure. `--startup` only opens a virtual
// bus and passes one frame (the start-up time measurement). Opens multicast sockets: run it inside
// scripts/in-netns.sh.
using System.Diagnostics;
using CanUdpMulticast;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.IO.Blf;

var clock = Stopwatch.StartNew();
var frame = new CanMessage(0x123, [0xDE, 0xAD, 0xBE, 0xEF]);

using (var sender = CanBus.Create("virtual", "aot"))
using (var receiver = new VirtualBus("aot"))
{
    sender.Send(frame);
    Check("virtual", receiver.Receive(TimeSpan.FromSeconds(2)));
}

if (args is ["--startup"])
{
    return 0;
}

var options = new UdpMulticastBusOptions { Channel = "239.74.163.9", Port = 43190, HopLimit = 0 };
using (var udpSender = new UdpMulticastBus(options))
using (var udpReceiver = CanBus.Create("udp_multicast", "239.74.163.9", new Dictionary<string, object?> { ["port"] = 43190, ["hop_limit"] = 0 }))
{
    udpSender.Send(frame with { IsFd = true, BitrateSwitch = true });
    Check("udp_multicast", udpReceiver.Receive(TimeSpan.FromSeconds(5)));
}

var path = Path.Combine(Path.GetTempPath(), $"aot-smoke-{Environment.ProcessId}.blf");
try
{
    using (var writer = new BlfWriter(path))
    {
        writer.Write(frame);
    }

    using var reader = new BlfReader(path);
    Check("blf", reader.FirstOrDefault());
}
finally
{
    File.Delete(path);
}

Console.WriteLine($"aot-smoke: ok ({clock.Elapsed.TotalMilliseconds:F1} ms)");
return 0;

void Check(string what, CanMessage? received)
{
    if (received is { } m && m.ArbitrationId == frame.ArbitrationId && m.Data.SequenceEqual(frame.Data))
    {
        Console.WriteLine($"{what}: {m}");
        return;
    }

    Console.Error.WriteLine($"aot-smoke: {what} FAILED (got {received?.ToString() ?? "nothing"})");
    Environment.Exit(1);
}
