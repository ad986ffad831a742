using System.Collections.Concurrent;
using System.Net.Sockets;
using CanUdpMulticast.Faults.Tests.Support;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Notifications;
using CanUdpMulticast.Periodic;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Faults.Tests;

/// <summary>
/// Every send and receive API racing <c>Dispose</c> from another thread, many times, at varied moments, with frames
/// arriving: each call ends normally or in <see cref="ObjectDisposedException"/>, never anything else.
/// </summary>
[Collection(FaultGroup.Name)]
public sealed class DisposeRaceTests
{
    private static readonly CanMessage Frame = new(0x123, [1, 2, 3, 4]);

    [SkippableFact]
    public Task Send_RacingDispose_OnlyObjectDisposed() => Race("Send", (bus, _) =>
    {
        while (true)
        {
            bus.Send(Frame);
        }
    });

    [SkippableFact]
    public Task SendAsync_RacingDispose_OnlyObjectDisposed()
    {
        return Race("SendAsync", async (bus, _) =>
        {
            while (true)
            {
                await bus.SendAsync(Frame);
            }
        });
    }

    [SkippableFact]
    public Task SendBatch_RacingDispose_OnlyObjectDisposed()
    {
        var batch = Enumerable.Repeat(Frame, 16).ToArray();
        return Race("SendBatch", (bus, _) =>
        {
            while (true)
            {
                bus.SendBatch(batch);
            }
        });
    }

    [SkippableFact]
    public Task Receive_RacingDispose_OnlyObjectDisposed() => Race("Receive", (bus, _) =>
    {
        while (true)
        {
            bus.Receive(TimeSpan.FromMilliseconds(5));
        }
    });

    [SkippableFact]
    public Task TryReceive_RacingDispose_OnlyObjectDisposed() => Race("TryReceive", (bus, _) =>
    {
        while (true)
        {
            bus.TryReceive(out CanMessage _);
        }
    });

    [SkippableFact]
    public Task ReceiveBatch_RacingDispose_OnlyObjectDisposed() => Race("ReceiveBatch", (bus, _) =>
    {
        var destination = new CanMessage[32];
        while (true)
        {
            bus.ReceiveBatch(destination, TimeSpan.FromMilliseconds(5));
        }
    });

    [SkippableFact]
    public Task ReceiveAsync_RacingDispose_OnlyObjectDisposed() => Race("ReceiveAsync", async (bus, _) =>
    {
        while (true)
        {
            await bus.ReceiveAsync();
        }
    });

    [SkippableFact]
    public Task ReadAllAsync_RacingDispose_OnlyObjectDisposed() => Race("ReadAllAsync", async (bus, _) =>
    {
        await foreach (var message in bus.ReadAllAsync())
        {
            GC.KeepAlive(message.ToString());
        }
    });

    [SkippableFact]
    public Task SendPeriodic_RacingDispose_StopsWithoutForeignError() => Race("SendPeriodic", async (bus, _) =>
    {
        using var task = bus.SendPeriodic(Frame, TimeSpan.FromMilliseconds(1));
        await task.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        task.StopReason.Should().BeOneOf(CyclicSendStopReason.BusDisposed, CyclicSendStopReason.Stopped);
        if (task.LastError is { } error and not ObjectDisposedException)
        {
            throw error;
        }
    });

    [SkippableFact]
    public Task Notifier_RacingDispose_StopsWithoutForeignError() => Race("Notifier", async (bus, _) =>
    {
        long seen = 0;
        using var notifier = new Notifier(bus, logger: null);
        notifier.AddListener(_ => Interlocked.Increment(ref seen));
        while (!bus.IsDisposed)
        {
            await Task.Delay(1);
        }

        notifier.Stop(TimeSpan.FromSeconds(5));
        if (notifier.LastError is { } error and not ObjectDisposedException)
        {
            throw error;
        }
    });

    /// <summary>
    /// Opens a bus, runs <paramref name="operation"/> on another thread until it ends, disposes the bus after a
    /// varied delay (0-2 ms, a fixed seed), and collects what the operation threw besides ObjectDisposedException.
    /// </summary>
    private static async Task Race(string api, Func<UdpMulticastBus, int, Task> operation)
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        using var feeder = new UdpMulticastBus(Options(group));
        using var stopFeeding = new CancellationTokenSource();
        var feeding = Task.Run(() =>
        {
            while (!stopFeeding.IsCancellationRequested)
            {
                feeder.Send(Frame);
                Thread.SpinWait(2_000);
            }
        });

        var random = new Random(14);
        var foreign = new ConcurrentBag<string>();
        var races = FaultScale.DisposeRaces;
        for (var i = 0; i < races; i++)
        {
            var bus = new UdpMulticastBus(Options(group));
            using var started = new ManualResetEventSlim();
            var index = i;
            var run = Task.Factory.StartNew(
                () =>
                {
                    started.Set();
                    return operation(bus, index);
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap();
            started.Wait();
            var delay = random.Next(0, 2_000);
            var until = DateTime.UtcNow.AddTicks(delay * 10);
            while (DateTime.UtcNow < until)
            {
                Thread.SpinWait(50);
            }

            bus.Dispose();
            try
            {
                await run.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (ObjectDisposedException)
            {
                // The one allowed outcome besides a normal return.
            }
            catch (TimeoutException)
            {
                foreign.Add("the operation did not end within 10 s of Dispose");
            }
            catch (Exception e)
            {
                foreign.Add($"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        }

        await stopFeeding.CancelAsync();
        await feeding;
        FaultReport.Add($"dispose race {api}", $"races={races} foreign={foreign.Count}");
        foreign.GroupBy(f => f).Select(g => $"{g.Count()} x {g.Key}").Should().BeEmpty($"{api} racing Dispose ({races} races) may only return or throw ObjectDisposedException");
    }
}
