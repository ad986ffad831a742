// Prints every frame on the UDP multicast bus until Ctrl+C (or until no frame came for 30 s), one line per frame in
// python-can's format, then how many arrived.
//
//   dotnet run --project samples/ReceiveAll [GROUP]
//   canudp send -i udp_multicast --hop-limit 0 123#DEADBEEF      (in another terminal)
using CanUdpMulticast;

var group = args.Length > 0 ? args[0] : null;
using var bus = CanBus.Create("udp_multicast", group, new Dictionary<string, object?> { ["hop_limit"] = 0 });
Console.WriteLine($"listening on {bus.ChannelInfo} (Ctrl+C to stop)");

// Ctrl+C disposes the bus, which wakes the blocked Receive at once.
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    bus.Dispose();
};

try
{
    while (bus.Receive(TimeSpan.FromSeconds(30)) is { } message)
    {
        Console.WriteLine(message);
    }
}
catch (ObjectDisposedException)
{
    // Ctrl+C.
}

Console.WriteLine($"received {bus.Statistics.FramesReceived} frames");
