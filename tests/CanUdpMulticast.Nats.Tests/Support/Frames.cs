namespace CanUdpMulticast.Nats.Tests.Support;

/// <summary>Frames of every kind, and a wait helper.</summary>
public static class Frames
{
    public static CanMessage[] EveryKind() =>
    [
        new CanMessage { ArbitrationId = 0x123, Data = new byte[] { 1, 2, 3 } },
        new CanMessage { ArbitrationId = 0x1ABCDE12, IsExtendedId = true, Data = new byte[] { 0xFF } },
        new CanMessage { ArbitrationId = 0x7FF, IsRemoteFrame = true, Dlc = 4 },
        new CanMessage { ArbitrationId = 0, IsErrorFrame = true, Data = new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 } },
        new CanMessage { ArbitrationId = 0x10, IsFd = true, BitrateSwitch = true, ErrorStateIndicator = true, Data = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray() },
        new CanMessage { ArbitrationId = 0x11, IsFd = true, Data = Array.Empty<byte>() },
        new CanMessage { ArbitrationId = 0x12, Channel = "vcan0", Data = new byte[] { 9 } },
        new CanMessage { ArbitrationId = 0x13, Channel = 7, Data = new byte[] { 8 } },
    ];

    public static NatsBusOptions Options(string url, string bus, NatsBusOptions? template = null) =>
        (template ?? new NatsBusOptions()) with { Servers = [url], Bus = bus, ConnectTimeout = TimeSpan.FromSeconds(3) };

    public static List<CanMessage> ReceiveAll(CanBus bus, int count, TimeSpan timeout)
    {
        var received = new List<CanMessage>();
        var deadline = DateTime.UtcNow + timeout;
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            if (bus.Receive(TimeSpan.FromMilliseconds(100)) is { } message)
            {
                received.Add(message);
            }
        }

        return received;
    }

    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + because);
            }

            Thread.Sleep(10);
        }
    }
}
