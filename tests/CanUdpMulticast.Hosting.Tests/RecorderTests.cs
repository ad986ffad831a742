using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.IO;
using Microsoft.Extensions.DependencyInjection;

namespace CanUdpMulticast.Hosting.Tests;

/// <summary>
/// The composition of samples/HostedRecorder over a real UDP multicast bus (inside the test namespace of scripts/test.sh,
/// hop limit 0): a hosted notifier feeding a size-rotating BLF writer records every frame, across several files.
/// </summary>
public sealed class RecorderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "canudp-recorder-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SkippableFact]
    public async Task HostedNotifier_SizedRotatingBlfListener_RecordsEveryFrameAcrossRotatedFiles()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("CANUDP_NETNS") == "1", "needs the private network namespace of scripts/test.sh");
        const int Frames = 6_000;
        Directory.CreateDirectory(_folder);
        var group = "239.78.1." + Random.Shared.Next(1, 250);
        var file = Path.Combine(_folder, "can.blf");
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:main:Interface"] = "udp_multicast",
            ["Can:Buses:main:Channel"] = group,
            ["Can:Buses:main:Port"] = "43171",
            ["Can:Buses:main:HopLimit"] = "0",
            ["Can:Buses:main:ReceiveBufferSize"] = "4194304",
        }, b => b.Services.AddCanBus("main", b.Configuration.GetSection("Can:Buses:main"))
            .AddNotifier()
            .AddListener(_ => new SizedRotatingCanLogWriter(file, 1024)));
        await host.StartAsync();
        var bus = host.Services.GetRequiredKeyedService<CanBus>("main");
        using var sender = new UdpMulticastBus(new UdpMulticastBusOptions { Channel = group, Port = 43171, HopLimit = 0 });

        for (var i = 0; i < Frames; i++)
        {
            sender.Send(new CanMessage(0x100, BitConverter.GetBytes((long)i)));
            if (i % 100 == 99)
            {
                await TestHost.WaitUntilAsync(() => bus.Statistics.FramesReceived > i - 100, "the recorder keeps up");
            }
        }

        await TestHost.WaitUntilAsync(() => bus.Statistics.FramesReceived == Frames, "every frame reaches the recorder");
        await host.StopAsync();

        var files = Directory.GetFiles(_folder, "*.blf").Order(StringComparer.Ordinal).ToList();
        files.Should().HaveCountGreaterThan(1, "1 KiB files rotate several times for 6,000 frames");
        var recorded = new List<long>();
        foreach (var path in files.Where(f => f != file).Append(file))
        {
            using var reader = CanLogReader.Open(path);
            foreach (var message in (IEnumerable<CanMessage>)reader)
            {
                recorded.Add(BitConverter.ToInt64(message.Data));
            }
        }

        recorded.Should().HaveCount(Frames).And.OnlyHaveUniqueItems();
        recorded.Order().Should().Equal(Enumerable.Range(0, Frames).Select(i => (long)i));
    }
}
