// Two nodes on python-can's default UDP multicast group: one sends a few frames, the other prints what it receives.
// A python-can process on the same group and port sees the same frames (see the README's interop example).
//
// Multicast leaves this process, so run it inside the private network namespace:
//   scripts/in-netns.sh dotnet run --project samples/UdpSendReceive            (IPv6 group ff15:7079:...:6173)
//   scripts/in-netns.sh dotnet run --project samples/UdpSendReceive -- ipv4    (IPv4 group 239.74.163.2)
using CanUdpMulticast;
using CanUdpMulticast.Interfaces.UdpMulticast;

var options = new UdpMulticastBusOptions
{
    Channel = args is ["ipv4", ..] ? UdpMulticastBusOptions.DefaultGroupIPv4 : UdpMulticastBusOptions.DefaultGroupIPv6,
    HopLimit = 0, // 0 keeps the frames on this host; python-can's default, 1, reaches the local link
};

using var receiver = new UdpMulticastBus(options);
using var sender = new UdpMulticastBus(options);
Console.WriteLine($"{receiver.ChannelInfo}, kernel timestamps: {receiver.MulticastStatistics.KernelTimestamps}");

for (var i = 0; i < 3; i++)
{
    sender.Send(new CanMessage(0x123, [0xDE, 0xAD, 0xBE, (byte)i]) { Channel = "vcan0" });
}

sender.Send(new CanMessage(0x1ABCDEF, "CAN FD over UDP multicast: 48 bytes of payload!!"u8, isExtendedId: true)
{
    IsFd = true,
    BitrateSwitch = true,
});

while (receiver.Receive(TimeSpan.FromMilliseconds(200)) is { } message)
{
    Console.WriteLine(message);
}

Console.WriteLine($"received {receiver.Statistics.FramesReceived} frames; sender skipped its own {sender.MulticastStatistics.OwnFramesSkipped} echoes");
