using System.Collections.Concurrent;
using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using CanUdpMulticast.Notifications;
using CanUdpMulticast.Periodic;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>
/// Issue 14, D1: every send and receive API racing <see cref="CanBus.Dispose()"/> ends in <see cref="ObjectDisposedException"/>
/// or returns normally, never anything else (before the fix: a <see cref="NullReferenceException"/> from inside
/// <c>Socket.SendToAsync</c>, or "Broken pipe" from <c>sendmmsg</c>). Each test runs a few hundred races, each with
/// two threads hammering the API while a third disposes the bus after a random short delay; receive races have traffic.
/// </summary>
[Collection(NetworkTestGroup.Name)]
public sealed class DisposeRaceTests
{
    private const int Rounds = 250;
    private static readonly TimeSpan RaceLimit = TimeSpan.FromSeconds(10);
    private static readonly CanMessage Frame = new(0x42, [1, 2, 3, 4]);
    private static readonly CanMessage[] Batch = Enumerable.Repeat(Frame, 32).ToArray();

    [SkippableFact]
    public void Send_RacingDispose_OnlyObjectDisposed() =>
        Race(withTraffic: false, async bus =>
        {
            await Task.Yield();
            while (true)
            {
                bus.Send(Frame);
            }
        });

    [SkippableFact]
    public void SendAsync_RacingDispose_OnlyObjectDisposed() =>
        Race(withTraffic: false, async bus =>
        {
            while (true)
            {
                await bus.SendAsync(Frame);
            }
        });

    [SkippableFact]
    public void SendBatch_RacingDispose_OnlyObjectDisposed() =>
        Race(withTraffic: false, async bus =>
        {
            await Task.Yield();
            while (true)
            {
                bus.SendBatch(Batch);
            }
        });

    [SkippableFact]
    public void Receive_RacingDispose_OnlyObjectDisposed() =>
        Race(withTraffic: true, async bus =>
        {
            await Task.Yield();
            while (true)
            {
                bus.Receive(TimeSpan.FromMilliseconds(50));
            }
        });

    [SkippableFact]
    public void ReceiveBatch_RacingDispose_OnlyObjectDisposed() =>
        Race(withTraffic: true, async bus =>
        {
            await Task.Yield();
            var frames = new CanMessage[16];
            while (true)
            {
                bus.ReceiveBatch(frames, TimeSpan.FromMilliseconds(50));
            }
        });

    [SkippableFact]
    public void ReceiveAsync_RacingDispose_OnlyObjectDisposed() =>
        Race(withTraffic: true, async bus =>
        {
            while (true)
            {
                await bus.ReceiveAsync();
            }
        });

    [SkippableFact]
    public void ReadAllAsync_RacingDispose_EndsNormally() =>
        Race(withTraffic: true, async bus =>
        {
            await foreach (var frame in bus.ReadAllAsync())
            {
                _ = frame;
            }
        });

    [SkippableFact]
    public void SendPeriodic_RacingDispose_StopsWithBusDisposedOnly() =>
        Race(withTraffic: false, async bus =>
        {
            await Task.Yield();
            while (true)
            {
                var task = bus.SendPeriodic(Frame, TimeSpan.FromMilliseconds(1));
                await WaitUntilStoppedAsync(task, bus);
                if (task.StopReason is not (CyclicSendStopReason.BusDisposed or CyclicSendStopReason.None) ||
                    task.LastError is not (null or ObjectDisposedException))
                {
                    throw new InvalidOperationException($"periodic task stopped with {task.StopReason}", task.LastError);
                }
            }
        });

    [SkippableFact]
    public void Notifier_RacingDispose_ReportsNoError() =>
        Race(withTraffic: true, workers: 1, work: async bus =>
        {
            await Task.Yield();
            using var notifier = new Notifier(bus, [new BufferedReader()]);
            while (!bus.IsDisposed)
            {
                await Task.Delay(1);
            }

            notifier.Stop(TimeSpan.FromSeconds(5));
            if (notifier.LastError is { } error and not ObjectDisposedException)
            {
                throw new InvalidOperationException("the notifier reported an error", error);
            }

            throw new ObjectDisposedException("bus"); // the expected end of this worker
        });

    private static async Task WaitUntilStoppedAsync(ICyclicSendTask task, CanBus bus)
    {
        // The task runs until the bus is disposed; once it is, its stop must be a clean one.
        while (!bus.IsDisposed)
        {
            await Task.Delay(1);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (task.StopReason == CyclicSendStopReason.None && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1);
        }
    }

    /// <summary>
    /// Runs <see cref="Rounds"/> races: <paramref name="workers"/> workers call <paramref name="work"/> (which loops until the bus is disposed)
    /// while the bus is disposed after a random delay of 0..2 ms. A worker may end normally or with
    /// <see cref="ObjectDisposedException"/>; anything else, or a worker still running after <see cref="RaceLimit"/>, fails.
    /// </summary>
    private static void Race(bool withTraffic, Func<UdpMulticastBus, Task> work, int workers = 2)
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        var unexpected = new ConcurrentBag<Exception>();
        using var stopTraffic = new CancellationTokenSource();
        using var trafficBus = withTraffic ? new UdpMulticastBus(Options(group)) : null;
        var traffic = trafficBus is null ? Task.CompletedTask : Task.Run(() =>
        {
            while (!stopTraffic.IsCancellationRequested)
            {
                trafficBus.SendBatch(Batch);
                Thread.Sleep(0);
            }
        });

        var random = new Random(1234);
        for (var round = 0; round < Rounds; round++)
        {
            var bus = new UdpMulticastBus(Options(group));
            var running = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                try
                {
                    await work(bus);
                }
                catch (ObjectDisposedException)
                {
                }
                catch (Exception ex)
                {
                    unexpected.Add(ex);
                }
            })).ToArray();

            var delay = TimeSpan.FromTicks(random.Next(0, 20_000));
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            while (System.Diagnostics.Stopwatch.GetElapsedTime(start) < delay)
            {
                Thread.SpinWait(20);
            }

            bus.Dispose();
            Task.WaitAll(running, RaceLimit).Should().BeTrue($"every worker ends promptly after dispose (round {round})");
        }

        stopTraffic.Cancel();
        traffic.Wait(RaceLimit);
        unexpected.Should().BeEmpty($"{Rounds} races may end only in ObjectDisposedException or normally; got: " +
            string.Join("; ", unexpected.Take(5).Select(e => e.GetType().Name + ": " + e.Message)) +
            (unexpected.IsEmpty ? "" : "\nfirst in full: " + unexpected.First()));
    }
}
