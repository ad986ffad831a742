// Two nodes on an in-process virtual CAN bus: one sends a few frames, the other prints them.
using CanUdpMulticast;

using var sender = CanBus.Create("virtual", "demo", ignoreConfig: true);
using var receiver = CanBus.Create("virtual", "demo", ignoreConfig: true);

for (var i = 0; i < 5; i++)
{
    sender.Send(new CanMessage(0x123, [0xDE, 0xAD, 0xBE, (byte)i]));
}

sender.Send(new CanMessage(0x1ABCDEF, "canfd rocks! 64 bytes of payload fit in one CAN FD frame ......."u8, isExtendedId: true) { IsFd = true });

while (receiver.Receive(TimeSpan.FromMilliseconds(100)) is { } message)
{
    Console.WriteLine(message);
}

Console.WriteLine($"received {receiver.Statistics.FramesReceived} frames");
