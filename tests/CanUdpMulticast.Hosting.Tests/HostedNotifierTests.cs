using System.Collections.Concurrent;
using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace CanUdpMulticast.Hosting.Tests;

public sealed class HostedNotifierTests
{
    [Fact]
    public async Task AddNotifier_ListenersFromTheContainer_ReceiveEveryFrameAndStopWithTheHost()
    {
        var channel = TestHost.NewChannel();
        using var host = TestHost.Build(new Dictionary<string, string?>
        {
            ["Can:Buses:main:Interface"] = "virtual",
            ["Can:Buses:main:Channel"] = channel,
        }, b => b.Services.AddCanBus("main", b.Configuration.GetSection("Can:Buses:main"))
            .AddNotifier()
            .AddListener<CollectingListener>()
            .AddListener(_ => new CollectingListener()));
        await host.StartAsync();
        var listeners = host.Services.GetKeyedServices<ICanListener>("main").Cast<CollectingListener>().ToList();
        using var peer = new VirtualBus(new VirtualBusOptions { Channel = channel });

        for (uint i = 0; i < 10; i++)
        {
            peer.Send(new CanMessage(i, [1]));
        }

        listeners.Should().HaveCount(2);
        foreach (var listener in listeners)
        {
            await TestHost.WaitUntilAsync(() => listener.Frames.Count == 10, "the notifier hands every frame to every listener");
            listener.Frames.Select(f => f.ArbitrationId).Should().Equal(Enumerable.Range(0, 10).Select(i => (uint)i));
        }

        await host.StopAsync();
        listeners.Should().OnlyContain(l => l.Stopped, "listeners are stopped (flushed) when the host stops");
    }

    [Fact]
    public async Task AddNotifier_ListenersOfAnotherBus_AreNotCalled()
    {
        var channel = TestHost.NewChannel();
        using var host = TestHost.Build(new Dictionary<string, string?>(), b =>
        {
            b.Services.AddCanBus("main", o => { o.Interface = "virtual"; o.Channel = channel; }).AddNotifier().AddListener<CollectingListener>();
            b.Services.AddCanBus("other", o => { o.Interface = "virtual"; o.Channel = TestHost.NewChannel(); }).AddListener<CollectingListener>();
        });
        await host.StartAsync();
        var mine = (CollectingListener)host.Services.GetRequiredKeyedService<ICanListener>("main");
        var other = (CollectingListener)host.Services.GetRequiredKeyedService<ICanListener>("other");
        using var peer = new VirtualBus(new VirtualBusOptions { Channel = channel });

        peer.Send(new CanMessage(0x1, [1]));

        await TestHost.WaitUntilAsync(() => mine.Frames.Count == 1, "the frame reaches the bus's own listener");
        other.Frames.Should().BeEmpty();
        await host.StopAsync();
    }

    internal sealed class CollectingListener : ICanListener
    {
        public ConcurrentQueue<CanMessage> Frames { get; } = new();

        public bool Stopped { get; private set; }

        public void OnMessageReceived(in CanMessage message) => Frames.Enqueue(message);

        public void Stop() => Stopped = true;
    }
}
