using System.Diagnostics;
using System.Runtime.CompilerServices;
using CanUdpMulticast.Harness.Native;
using CanUdpMulticast.Interfaces.UdpMulticast;

namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// The library's roles. Implementations: <c>lib</c> (Send + Receive), <c>lib-batch</c> (SendBatch + ReceiveBatch),
/// <c>lib-async</c> (SendAsync + ReceiveAsync), <c>lib-readall</c> (ReadAllAsync). Senders of the async kinds send with
/// <c>Send</c>: only the receive side differs.
/// </summary>
internal static class LibraryRoles
{
    public static bool TryRun(RoleArgs args)
    {
        if (!args.Impl.StartsWith("lib", StringComparison.Ordinal))
        {
            return false;
        }

        using var bus = Open(args);
        var impl = args.Impl;
        if (args.Role == "periodic-send")
        {
            JitterRoles.Send(args, bus);
            return true;
        }

        if (args.Role == "periodic-recv")
        {
            JitterRoles.Receive(args, bus);
            return true;
        }

        var isAsync = impl is "lib-async" or "lib-readall";
        switch (args.Role)
        {
            case "send" or "recv" or "ping" or "pong" when !isAsync || args.Role == "send":
            {
                using var endpoint = new LibraryEndpoint(bus, batch: impl == "lib-batch");
                switch (args.Role)
                {
                    case "send": SyncRoles.Send(args, endpoint); break;
                    case "recv": SyncRoles.Receive(args, endpoint, impl == "lib-batch" ? SyncEndpoint.BatchSize : 1); break;
                    case "ping": SyncRoles.Ping(args, endpoint); break;
                    case "pong": SyncRoles.Pong(args, endpoint); break;
                }

                break;
            }

            case "recv": ReceiveAsync(args, bus, readAll: impl == "lib-readall").GetAwaiter().GetResult(); break;
            case "ping": AsyncRoles.PingAsync(args, new LibraryAsyncEndpoint(bus)).GetAwaiter().GetResult(); break;
            case "pong": AsyncRoles.PongAsync(args, new LibraryAsyncEndpoint(bus)).GetAwaiter().GetResult(); break;
        }

        return true;
    }

    public static CanBus Open(RoleArgs args) => new UdpMulticastBus(new UdpMulticastBusOptions
    {
        Channel = args.Group.ToString(),
        Port = args.Port,
        HopLimit = 0,
        ReceiveBufferSize = args.Int("rcvbuf", UdpMulticastBusOptions.DefaultReceiveBufferSize),
        TimestampSource = args.Get("timestamps", "auto") == "software" ? UdpMulticastTimestampSource.Software : UdpMulticastTimestampSource.Auto,
    });

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static byte KindOf(in CanMessage message) =>
        message.ArbitrationId == Datagram.ArbitrationId && message.Data.Length == 8 ? message.Data[0] : (byte)0;

    public static IEnumerable<(string Key, double Value)> StatisticsFields(CanBus bus)
    {
        var statistics = bus.Statistics;
        yield return ("bus_received", statistics.FramesReceived);
        yield return ("bus_dropped", statistics.FramesDropped);
        yield return ("bus_malformed", statistics.MalformedFrames);
    }

    private static async Task ReceiveAsync(RoleArgs args, CanBus bus, bool readAll)
    {
        var tally = new Tally(args.Double("idle", 1.0), args.Double("deadline", 120), args.Get("backlog", "0") == "1");
        using var cancel = new CancellationTokenSource();
        var watchdog = Watchdog(tally, cancel);
        Report.Ready();
        try
        {
            if (readAll)
            {
                await foreach (var message in bus.ReadAllAsync(cancel.Token).ConfigureAwait(false))
                {
                    if (tally.Observe(KindOf(message)))
                    {
                        break;
                    }
                }
            }
            else
            {
                while (!tally.Done)
                {
                    var message = await bus.ReceiveAsync(cancel.Token).ConfigureAwait(false);
                    tally.Observe(KindOf(message));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // idle limit or deadline
        }

        tally.Finish();
        await watchdog.ConfigureAwait(false);
        Report.Result([.. tally.Fields(), .. StatisticsFields(bus)]);
    }

    private static async Task Watchdog(Tally tally, CancellationTokenSource cancel)
    {
        while (!tally.Done)
        {
            await Task.Delay(100).ConfigureAwait(false);
            if (!tally.Done && tally.IdleExpired())
            {
                await cancel.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }
}
