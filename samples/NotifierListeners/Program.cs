// A notifier with two listeners on the in-process virtual bus: a BufferedReader that the main loop reads from,
// and an async handler that keeps per-id counts (awaited before the next frame is dispatched).
using CanUdpMulticast;
using CanUdpMulticast.Notifications;

using var sender = CanBus.Create("virtual", "notifier-demo", ignoreConfig: true);
using var receiver = CanBus.Create("virtual", "notifier-demo", ignoreConfig: true);

using var reader = new BufferedReader();
var counts = new Dictionary<uint, int>();
var notifier = new Notifier(receiver, [reader]);
notifier.AddListener(async (message, cancellationToken) =>
{
    await Task.Yield(); // stands for real async work: a database, a socket, a file
    counts[message.ArbitrationId] = counts.GetValueOrDefault(message.ArbitrationId) + 1;
});

for (var i = 0; i < 3; i++)
{
    sender.Send(new CanMessage(0x0A0, [(byte)i]));
    sender.Send(new CanMessage(0x1B0, [0xFF, (byte)i]));
}

// The reader hands the frames out in arrival order; GetMessage waits up to 0.5 s by default.
for (var i = 0; i < 6; i++)
{
    Console.WriteLine(reader.GetMessage());
}

// Stop waits for the dispatch loop, so the async handler has seen every frame once it returns.
await notifier.StopAsync();
foreach (var (id, count) in counts.OrderBy(c => c.Key))
{
    Console.WriteLine($"0x{id:X3}: {count} frames");
}
