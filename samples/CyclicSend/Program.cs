// Periodic (cyclic) sending on the in-process virtual bus: a heartbeat with a rolling counter, a multiplexed
// sequence sent round robin for a fixed duration, and a payload change while the task runs.
// `dotnet run --project samples/CyclicSend -- --load 1000` instead runs 1000 tasks at 10 ms for 10 s and prints
// the CPU they cost.
using System.Diagnostics;
using CanUdpMulticast;
using CanUdpMulticast.Periodic;

if (args is ["--load", var count, ..])
{
    MeasureLoad(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

using var ecu = CanBus.Create("virtual", "cyclic-demo", ignoreConfig: true);
using var tester = CanBus.Create("virtual", "cyclic-demo", ignoreConfig: true);

// 1. A heartbeat every 10 ms; the modifier runs before each send and counts the first byte up.
var heartbeatOptions = new PeriodicSendOptions
{
    Modifier = m => m with { Data = [(byte)(m.Data[0] + 1), m.Data[1]] },
};
using var heartbeat = ecu.SendPeriodic(new CanMessage(0x100, [0, 0xAA]), TimeSpan.FromMilliseconds(10), options: heartbeatOptions);

// 2. A multiplexed signal: three messages with one id, sent in turn every 20 ms, for 300 ms.
CanMessage[] multiplexed =
[
    new(0x200, [0x00, 0x11, 0x11]),
    new(0x200, [0x01, 0x22, 0x22]),
    new(0x200, [0x02, 0x33, 0x33]),
];
using var mux = ecu.SendPeriodic(multiplexed, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(300));

// 3. Half-way through, change the heartbeat's payload; its timing does not change.
await Task.Delay(TimeSpan.FromMilliseconds(150));
heartbeat.ModifyData(new CanMessage(0x100, [0, 0xBB]));

await mux.Completion;          // the multiplexed task stops by itself after 300 ms
heartbeat.Stop();

var received = new List<CanMessage>();
while (tester.TryReceive(out var frame))
{
    received.Add(frame);
}

foreach (var frame in received.Where(f => f.ArbitrationId == 0x200).Take(4))
{
    Console.WriteLine(frame);
}

Console.WriteLine($"heartbeat: {received.Count(f => f.ArbitrationId == 0x100)} frames, last {Convert.ToHexString(received.Last(f => f.ArbitrationId == 0x100).Data)}");
Console.WriteLine($"multiplexed: {received.Count(f => f.ArbitrationId == 0x200)} frames (300 ms / 20 ms = 15), stopped because {mux.StopReason}");
Console.WriteLine($"heartbeat scheduling: {heartbeat.Statistics}");

static void MeasureLoad(int tasks)
{
    using var bus = CanBus.Create("virtual", "cyclic-load", ignoreConfig: true);
    using var peer = CanBus.Create("virtual", "cyclic-load", ignoreConfig: true);
    using var drain = new CancellationTokenSource();
    var reader = new Thread(() =>
    {
        var batch = new CanMessage[256];
        try
        {
            while (!drain.IsCancellationRequested)
            {
                peer.ReceiveBatch(batch, TimeSpan.FromMilliseconds(100));
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }) { IsBackground = true };
    reader.Start();

    var process = Process.GetCurrentProcess();
    var running = Enumerable.Range(0, tasks)
        .Select(i => bus.SendPeriodic(new CanMessage((uint)(i % 0x7FF), [1, 2, 3, 4, 5, 6, 7, 8]), TimeSpan.FromMilliseconds(10)))
        .ToList();
    Thread.Sleep(1000); // warm up
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    var sentBefore = bus.Statistics.FramesSent;
    var clock = Stopwatch.StartNew();
    Thread.Sleep(TimeSpan.FromSeconds(10));
    process.Refresh();
    var cpu = process.TotalProcessorTime - cpuBefore;
    var sent = bus.Statistics.FramesSent - sentBefore;
    var elapsed = clock.Elapsed;
    var threads = process.Threads.Count;
    bus.StopAllPeriodicTasks();
    drain.Cancel();

    var maxLate = running.Max(t => t.Statistics.MaxLateness);
    var meanLate = TimeSpan.FromTicks((long)running.Average(t => t.Statistics.MeanLateness.Ticks));
    Console.WriteLine($"{tasks} tasks at 10 ms: {sent / elapsed.TotalSeconds:F0} frames/s, CPU {cpu.TotalMilliseconds / elapsed.TotalMilliseconds:P1} of one core " +
                      $"(sender + receiving peer), {threads} threads in the process, lateness mean {meanLate.TotalMicroseconds:F0} µs max {maxLate.TotalMilliseconds:F1} ms");
}
