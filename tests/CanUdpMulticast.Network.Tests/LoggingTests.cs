using System.Net.Sockets;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Network.Tests.Support;
using Microsoft.Extensions.Logging;
using static CanUdpMulticast.Network.Tests.Support.MulticastTestEnvironment;

namespace CanUdpMulticast.Network.Tests;

/// <summary>The bus logs through <see cref="ILogger"/> with stable event ids.</summary>
[Collection(NetworkTestGroup.Name)]
public sealed class LoggingTests
{
    [SkippableFact]
    public void OpenAndClose_AreLoggedAtDebugWithEventIds300And301()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var logger = new CollectingLogger();

        new UdpMulticastBus(Options(NewGroup(AddressFamily.InterNetwork)) with { Logger = logger }).Dispose();

        logger.WithId(300).Should().ContainSingle().Which.Level.Should().Be(LogLevel.Debug);
        logger.WithId(301).Should().ContainSingle().Which.Message.Should().Contain("datagrams=");
    }

    [SkippableFact]
    public void FdFramesOnClassicBus_AreLoggedOnceWithEventId303()
    {
        RequireMulticast(AddressFamily.InterNetwork);
        var group = NewGroup(AddressFamily.InterNetwork);
        var logger = new CollectingLogger();
        using var classic = new UdpMulticastBus(Options(group) with { Fd = false, Logger = logger });
        using var sender = new UdpMulticastBus(Options(group));

        for (var i = 0; i < 5; i++)
        {
            sender.Send(new CanMessage(0x2, new byte[16]) { IsFd = true });
        }

        // The bus looks at datagrams when the application reads: each read drops what is not for it.
        WaitUntil(() => !classic.TryReceive(out _) && classic.MulticastStatistics.FdFramesDropped == 5, "five FD frames dropped");
        logger.WithId(303).Should().ContainSingle("the log is rate-limited to one entry per 10 seconds");
    }

    [Fact]
    public void LogRateLimiter_HoldsBackWithinTheIntervalAndReportsHowMany()
    {
        var limiter = new LogRateLimiter(TimeSpan.FromHours(1));

        limiter.TryAcquire(out var first).Should().BeTrue();
        limiter.TryAcquire(out _).Should().BeFalse();
        limiter.TryAcquire(out _).Should().BeFalse();
        first.Should().Be(0);

        var open = new LogRateLimiter(TimeSpan.Zero);
        open.TryAcquire(out _).Should().BeTrue();
        open.TryAcquire(out var suppressed).Should().BeTrue();
        suppressed.Should().Be(0);
    }
}
