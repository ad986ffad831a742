using System.Diagnostics;
using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CanUdpMulticast.Tests.Registry;

public sealed class CanInterfaceRegistryTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    private static CanBus OpenVirtual(BusConfiguration config, ILoggerFactory loggerFactory) => new VirtualBus(config.Channel ?? "registry-" + Guid.NewGuid().ToString("N"));

    private static CanBusDetector Returns(params BusConfiguration[] configs) => _ => new ValueTask<IReadOnlyList<BusConfiguration>>(configs);

    [Fact]
    public void Names_BuiltIns_IncludeVirtual()
    {
        new CanInterfaceRegistry().Names.Should().Contain("virtual");
        CanInterfaceRegistry.Default.Contains("virtual").Should().BeTrue();
    }

    [Fact]
    public void Names_WithoutBuiltIns_Empty() => new CanInterfaceRegistry(includeBuiltIns: false).Names.Should().BeEmpty();

    [Fact]
    public void Names_AreSortedOrdinally()
    {
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        registry.Register("b", OpenVirtual);
        registry.Register("B", OpenVirtual);
        registry.Register("a", OpenVirtual);
        registry.Names.Should().Equal("B", "a", "b");
    }

    [Fact]
    public void Create_UnknownInterface_NotImplementedNamingTheKnownOnes()
    {
        var registry = new CanInterfaceRegistry();
        registry.Register("zeta", OpenVirtual);
        FluentActions.Invoking(() => registry.Create(new BusConfiguration("nope")))
            .Should().Throw<CanInterfaceNotImplementedException>()
            .WithMessage("*'nope'*")
            .Where(e => e.Message.Contains("virtual", StringComparison.Ordinal) && e.Message.Contains("zeta", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Create_NoInterface_NotImplementedNamingTheKnownOnes(string? name) =>
        FluentActions.Invoking(() => new CanInterfaceRegistry().Create(new BusConfiguration(name)))
            .Should().Throw<CanInterfaceNotImplementedException>()
            .WithMessage("No CAN interface was given*virtual*");

    [Fact]
    public void Create_NamesAreCaseSensitive() =>
        FluentActions.Invoking(() => new CanInterfaceRegistry().Create(new BusConfiguration("Virtual")))
            .Should().Throw<CanInterfaceNotImplementedException>();

    [Fact]
    public void Register_NewName_FactoryGetsTheConfiguration()
    {
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        BusConfiguration? seen = null;
        registry.Register("mine", (config, _) =>
        {
            seen = config;
            return OpenVirtual(new BusConfiguration(), NullLoggerFactory.Instance);
        });
        var configuration = new BusConfiguration("mine", "ch", [new("bitrate", 500_000L)]);
        using var bus = registry.Create(configuration);
        seen.Should().BeSameAs(configuration);
        registry.Contains("mine").Should().BeTrue();
    }

    [Fact]
    public void Register_ExistingName_ReplacesIt()
    {
        var registry = new CanInterfaceRegistry();
        var calls = 0;
        registry.Register("virtual", (config, _) =>
        {
            calls++;
            return OpenVirtual(config, NullLoggerFactory.Instance);
        });
        using var bus = registry.Create(new BusConfiguration("virtual", "registry-" + Guid.NewGuid().ToString("N")));
        calls.Should().Be(1);
        registry.Names.Count(n => n == "virtual").Should().Be(1);
    }

    [Fact]
    public void Unregister_Registered_TrueAndGone()
    {
        var registry = new CanInterfaceRegistry();
        registry.Unregister("virtual").Should().BeTrue();
        registry.Contains("virtual").Should().BeFalse();
        registry.Unregister("virtual").Should().BeFalse();
        FluentActions.Invoking(() => registry.Create(new BusConfiguration("virtual"))).Should().Throw<CanInterfaceNotImplementedException>();
        CanInterfaceRegistry.Default.Contains("virtual").Should().BeTrue("other registries are not affected");
    }

    [Fact]
    public void Register_BadArguments_Throw()
    {
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        FluentActions.Invoking(() => registry.Register(null!, OpenVirtual)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => registry.Register(" ", OpenVirtual)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => registry.Register("x", null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Create_FactoryThrows_ExceptionPropagates()
    {
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        registry.Register("bad", (_, _) => throw new CanInitializationException("no hardware"));
        FluentActions.Invoking(() => registry.Create(new BusConfiguration("bad"))).Should().Throw<CanInitializationException>().WithMessage("no hardware");
    }

    [Fact]
    public void Create_WithFilters_AppliesThemToTheBus()
    {
        var filters = new[] { new CanFilter(0x100, 0x7FF), new CanFilter(0x200, 0x700, Extended: false) };
        using var bus = new CanInterfaceRegistry().Create(new BusConfiguration("virtual", "registry-" + Guid.NewGuid().ToString("N")) { Filters = filters });
        bus.Filters.Should().Equal(filters);
    }

    [Fact]
    public void Create_Virtual_MapsPythonCanKeywordArguments()
    {
        var channel = "registry-" + Guid.NewGuid().ToString("N");
        var configuration = new BusConfiguration("virtual", channel, new Dictionary<string, object?>
        {
            ["receive_own_messages"] = "true",
            ["preserve_timestamps"] = true,
            ["rx_queue_size"] = 2L,
            ["queue_full_mode"] = "drop_oldest",
            ["protocol"] = "CAN_FD",
        });
        using var bus = new CanInterfaceRegistry().Create(configuration);
        var virtualBus = bus.Should().BeOfType<VirtualBus>().Subject;
        virtualBus.Channel.Should().Be(channel);
        bus.Protocol.Should().Be(CanProtocol.CanFd);
        for (byte i = 0; i < 3; i++)
        {
            bus.Send(new CanMessage { ArbitrationId = 1, Data = [i], Timestamp = 42 });
        }

        var first = bus.Receive(TimeSpan.Zero)!.Value;
        first.IsRx.Should().BeFalse("receive_own_messages delivers the own frame as Tx");
        first.Timestamp.Should().Be(42, "preserve_timestamps");
        first.Data[0].Should().Be(1, "a queue of 2 in drop-oldest mode keeps the last two");
        bus.Statistics.FramesDropped.Should().Be(1);
    }

    [Fact]
    public void Create_VirtualWithBadOption_CanInitializationExceptionNamingKeyValueAndSource()
    {
        var configuration = new BusConfiguration("virtual", "x");
        configuration.Set("rx_queue_size", "lots", "test source");
        FluentActions.Invoking(() => new CanInterfaceRegistry().Create(configuration))
            .Should().Throw<CanInitializationException>().WithMessage("*'rx_queue_size'*'lots'*test source*");
    }

    [Fact]
    public void CanBusCreate_IgnoreConfig_OpensTheNamedInterface()
    {
        var channel = "registry-" + Guid.NewGuid().ToString("N");
        using var bus = CanBus.Create("virtual", channel, new Dictionary<string, object?> { ["receive_own_messages"] = true }, ignoreConfig: true);
        bus.Should().BeOfType<VirtualBus>().Which.Channel.Should().Be(channel);
        bus.Send(new CanMessage { ArbitrationId = 5 });
        bus.Receive(TimeSpan.Zero).Should().NotBeNull();
    }

    [Fact]
    public void CanBusCreate_UnknownInterfaceIgnoringConfig_NotImplemented() =>
        FluentActions.Invoking(() => CanBus.Create("no-such-interface", ignoreConfig: true))
            .Should().Throw<CanInterfaceNotImplementedException>().WithMessage("*no-such-interface*virtual*");

    [Fact]
    public void CanBusCreate_Configuration_OpensExactlyThat()
    {
        var channel = "registry-" + Guid.NewGuid().ToString("N");
        using var bus = CanBus.Create(new BusConfiguration("virtual", channel));
        bus.ChannelInfo.Should().Be("Virtual bus channel " + channel);
    }

    [Fact]
    public async Task DetectAvailableConfigsAsync_TwoDetectorsWaitingForEachOther_BothRunInParallel()
    {
        using var barrier = new Barrier(2);
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        CanBusDetector meet(string channel) => token =>
        {
            // Blocks this thread until the other detector arrives: only works if both run at the same time.
            if (!barrier.SignalAndWait(TimeSpan.FromSeconds(20), token))
            {
                throw new TimeoutException("the other detector never ran at the same time");
            }

            return new ValueTask<IReadOnlyList<BusConfiguration>>([new BusConfiguration(null, channel)]);
        };
        registry.Register("one", OpenVirtual, meet("c1"));
        registry.Register("two", OpenVirtual, meet("c2"));

        var configs = await registry.DetectAvailableConfigsAsync(timeout: Long);
        configs.Select(c => (c.Interface, c.Channel)).Should().BeEquivalentTo([("one", "c1"), ("two", "c2")]);
    }

    [Fact]
    public async Task DetectAvailableConfigsAsync_SlowDetectors_CutAtTheTimeoutLoggedAndLeftOut()
    {
        using var neverSet = new ManualResetEventSlim();
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        var logger = new ListLogger();
        registry.Register("fast", OpenVirtual, Returns(new BusConfiguration(null, "f")));
        registry.Register("polite-slow", OpenVirtual, async token =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return [];
        });
        registry.Register("rude-slow", OpenVirtual, _ =>
        {
            neverSet.Wait(Long, CancellationToken.None); // ignores its token
            return new ValueTask<IReadOnlyList<BusConfiguration>>([new BusConfiguration(null, "late")]);
        });

        try
        {
            var watch = Stopwatch.StartNew();
            var configs = await registry.DetectAvailableConfigsAsync(timeout: TimeSpan.FromMilliseconds(300), logger: logger);
            watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "a detector that ignores its token does not hold up the call");
            configs.Select(c => c.Channel).Should().Equal("f");
            logger.Entries.Where(e => e.EventId.Id == 100 && e.Level == LogLevel.Warning).Select(e => e.Message)
                .Should().HaveCount(2).And.Contain(m => m.Contains("polite-slow", StringComparison.Ordinal)).And.Contain(m => m.Contains("rude-slow", StringComparison.Ordinal));
        }
        finally
        {
            neverSet.Set();
        }
    }

    [Fact]
    public async Task DetectAvailableConfigsAsync_ThrowingDetectors_LoggedWithTheExceptionAndLeftOut()
    {
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        var logger = new ListLogger();
        registry.Register("ok", OpenVirtual, Returns(new BusConfiguration(null, "a"), new BusConfiguration(null, "b")));
        registry.Register("throws", OpenVirtual, _ => throw new InvalidOperationException("driver missing"));
        registry.Register("faults", OpenVirtual, async _ =>
        {
            await Task.Yield();
            throw new CanInitializationException("no device");
        });

        var configs = await registry.DetectAvailableConfigsAsync(logger: logger, timeout: Long);
        configs.Select(c => c.Channel).Should().Equal("a", "b");
        var failures = logger.Entries.Where(e => e.EventId.Id == 101).ToList();
        failures.Should().HaveCount(2);
        failures.Should().ContainSingle(e => e.Message.Contains("'throws'", StringComparison.Ordinal) && e.Exception is InvalidOperationException);
        failures.Should().ContainSingle(e => e.Message.Contains("'faults'", StringComparison.Ordinal) && e.Exception is CanInitializationException);
    }

    [Fact]
    public async Task DetectAvailableConfigsAsync_Results_HaveInterfaceSet()
    {
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        registry.Register("mine", OpenVirtual, Returns(new BusConfiguration(null, "x"), new BusConfiguration("explicit", "y")));
        var configs = await registry.DetectAvailableConfigsAsync(timeout: Long);
        configs.Select(c => c.Interface).Should().Equal("mine", "explicit");
    }

    [Fact]
    public async Task DetectAvailableConfigsAsync_NamedInterfacesOnly_UnknownAndDetectorlessSkipped()
    {
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        registry.Register("a", OpenVirtual, Returns(new BusConfiguration(null, "a1")));
        registry.Register("b", OpenVirtual, Returns(new BusConfiguration(null, "b1")));
        registry.Register("no-detector", OpenVirtual);
        var configs = await registry.DetectAvailableConfigsAsync(["b", "unknown", "no-detector"], Long);
        configs.Select(c => c.Channel).Should().Equal("b1");
        (await registry.DetectAvailableConfigsAsync([], Long)).Should().BeEmpty();
    }

    [Fact]
    public async Task DetectAvailableConfigsAsync_CallerCancels_OperationCanceled()
    {
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        registry.Register("slow", OpenVirtual, async token =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return [];
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await FluentActions.Awaiting(() => registry.DetectAvailableConfigsAsync(timeout: Long, cancellationToken: cts.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void DetectAvailableConfigs_Virtual_OpenChannelsThatCreateAccepts()
    {
        var channel = "registry-detect-" + Guid.NewGuid().ToString("N");
        using var open = new VirtualBus(channel);
        var configs = CanBus.DetectAvailableConfigs(["virtual"], Long);
        configs.Should().Contain(c => c.Channel == channel);
        configs.Should().OnlyContain(c => c.Interface == "virtual");
        var detected = configs.Single(c => c.Channel == channel);

        using var bus = CanBus.Create(detected);
        bus.Send(new CanMessage { ArbitrationId = 9 });
        open.Receive(TimeSpan.Zero).Should().NotBeNull("the detected configuration opens a bus on the same channel");
    }
}
