using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Registry;
using CanUdpMulticast.Testing;
using Microsoft.Extensions.Logging;

namespace CanUdpMulticast.Tests.Registry;

/// <summary>
/// A misspelt option never passes silently (issue 14, D4): given in code it fails naming the key and the closest valid
/// one; from the environment or a config file it is logged. And the caller's logger factory reaches the bus's factory.
/// </summary>
public sealed class UnknownOptionTests
{
    private static string NewChannel() => "unknown-option-" + Guid.NewGuid().ToString("N");

    [Fact]
    public void Create_MisspeltUdpOptionInCode_FailsNamingKeyAndClosestValidKey()
    {
        // Fails before any socket opens: no network needed.
        var act = () => CanBus.Create("udp_multicast", "239.74.163.2", new Dictionary<string, object?> { ["hop_limt"] = 0 }, ignoreConfig: true);

        var error = act.Should().Throw<CanConfigurationException>().Which;
        error.Key.Should().Be("hop_limt");
        error.Suggestion.Should().Be("hop_limit");
        error.Message.Should().Contain("'hop_limt'").And.Contain("did you mean 'hop_limit'").And.Contain("udp_multicast");
    }

    [Fact]
    public void Create_MisspeltVirtualOptionInCode_Fails()
    {
        var act = () => CanBus.Create("virtual", NewChannel(), new Dictionary<string, object?> { ["receive_own_mesages"] = true }, ignoreConfig: true);

        act.Should().Throw<CanConfigurationException>().Which.Suggestion.Should().Be("receive_own_messages");
    }

    [Fact]
    public void Create_UnrelatedUnknownKey_FailsWithoutASuggestion()
    {
        var act = () => CanBus.Create("virtual", NewChannel(), new Dictionary<string, object?> { ["serial_number"] = 5 }, ignoreConfig: true);

        var error = act.Should().Throw<CanConfigurationException>().Which;
        error.Suggestion.Should().BeNull();
        error.Message.Should().Contain("'serial_number'").And.Contain("receive_own_messages");
    }

    [Fact]
    public void Create_GenericPythonCanKeys_Accepted()
    {
        using var bus = CanBus.Create("virtual", NewChannel(), new Dictionary<string, object?> { ["bitrate"] = 500_000, ["data_bitrate"] = 2_000_000, ["fd"] = true }, ignoreConfig: true);

        bus.Protocol.Should().Be(CanProtocol.CanFd, "fd=true on a virtual bus means the CAN FD protocol");
    }

    [Fact]
    public void Create_UnknownKeyFromConfigFile_LoggedAndOpened()
    {
        var dir = Directory.CreateTempSubdirectory("canudp-unknown-").FullName;
        try
        {
            var file = Path.Combine(dir, "can.conf");
            File.WriteAllText(file, $"[default]\ninterface = virtual\nchannel = {NewChannel()}\nrecieve_own_messages = true\nbitrate = 500000\n");
            var loader = new BusConfigurationLoader { GetEnvironmentVariable = _ => null, ConfigFiles = [file] };
            var logger = new ListLogger();
            using var factory = new SingleLoggerFactory(logger);

            using var bus = new CanInterfaceRegistry().Create(loader.Load(), factory);

            bus.Should().BeOfType<VirtualBus>();
            var warning = logger.Entries.Should().ContainSingle(e => e.EventId.Id == 102).Subject;
            warning.Level.Should().Be(LogLevel.Warning);
            warning.Message.Should().Contain("'recieve_own_messages'").And.Contain(file).And.Contain("receive_own_messages");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Create_UnknownKeyFromEnvironment_LoggedAndOpened()
    {
        var environment = new Dictionary<string, string>
        {
            ["CAN_CONFIG"] = $"{{\"interface\": \"virtual\", \"channel\": \"{NewChannel()}\", \"app_name\": \"CANalyzer\"}}",
        };
        var loader = new BusConfigurationLoader { GetEnvironmentVariable = environment.GetValueOrDefault, ConfigFiles = [] };
        var logger = new ListLogger();
        using var factory = new SingleLoggerFactory(logger);

        using var bus = new CanInterfaceRegistry().Create(loader.Load(), factory);

        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 102).Which.Message.Should().Contain("'app_name'").And.Contain("CAN_CONFIG");
    }

    [Fact]
    public void Create_PluginIgnoresAKeyGivenInCode_FailsAndDisposesTheBus()
    {
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        VirtualBus? opened = null;
        registry.Register("plugin", (config, _) =>
        {
            config.GetInt32("speed", 10).Should().Be(10);
            return opened = new VirtualBus(NewChannel());
        });

        var act = () => registry.Create(new BusConfiguration("plugin", null, [new("sped", 20)]));

        act.Should().Throw<CanConfigurationException>().Which.Suggestion.Should().Be("speed");
        opened!.IsDisposed.Should().BeTrue("a bus whose configuration is rejected must not stay open");
    }

    [Fact]
    public void Create_BadValueInCode_ConfigurationExceptionNamingTheKey()
    {
        var act = () => CanBus.Create("virtual", NewChannel(), new Dictionary<string, object?> { ["rx_queue_size"] = "many" }, ignoreConfig: true);

        act.Should().Throw<CanConfigurationException>().Which.Key.Should().Be("rx_queue_size");
    }

    [Fact]
    public void Register_Factory_ReceivesTheCallersLoggerFactory()
    {
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        ILoggerFactory? seen = null;
        registry.Register("plugin", (config, loggerFactory) =>
        {
            seen = loggerFactory;
            loggerFactory.CreateLogger("plugin").LogInformation("opened");
            return new VirtualBus(NewChannel());
        });
        var logger = new ListLogger();
        using var factory = new SingleLoggerFactory(logger);

        using var bus = registry.Create(new BusConfiguration("plugin", "ch9"), factory);

        seen.Should().BeSameAs(factory);
        logger.Entries.Should().ContainSingle(e => e.Message == "opened");
    }

    [Fact]
    public void Register_NoLoggerFactoryGiven_FactoryGetsANoOpOne()
    {
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        ILoggerFactory? seen = null;
        registry.Register("plugin", (_, loggerFactory) =>
        {
            seen = loggerFactory;
            return new VirtualBus(NewChannel());
        });

        using var bus = registry.Create(new BusConfiguration("plugin"));

        seen.Should().NotBeNull();
    }

    [Fact]
    public void CanBusCreate_LoggerFactory_ReachesAPluginInTheDefaultRegistry()
    {
        var name = "plugin-" + Guid.NewGuid().ToString("N");
        ILoggerFactory? seen = null;
        CanInterfaceRegistry.Default.Register(name, (_, loggerFactory) =>
        {
            seen = loggerFactory;
            return new VirtualBus(NewChannel());
        });
        try
        {
            using var factory = new SingleLoggerFactory(new ListLogger());
            using var bus = CanBus.Create(name, ignoreConfig: true, loggerFactory: factory);
            seen.Should().BeSameAs(factory);
        }
        finally
        {
            CanInterfaceRegistry.Default.Unregister(name);
        }
    }

    [Fact]
    public async Task DetectAvailableConfigs_NullTimeout_WaitsForEveryDetector()
    {
        var registry = new CanInterfaceRegistry(includeBuiltIns: false);
        registry.Register("slow", (_, _) => throw new CanInitializationException("not opened here"), async token =>
        {
            await Task.Delay(300, token);
            return [new BusConfiguration(null, "found")];
        });

        var configs = await registry.DetectAvailableConfigsAsync(timeout: null);

        configs.Should().ContainSingle().Which.Channel.Should().Be("found");
        CanInterfaceRegistry.DefaultDetectionTimeout.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("hop_limt", "hop_limit")]
    [InlineData("HopLimit", "hop_limit")]
    [InlineData("recieve_own_messages", "receive_own_messages")]
    [InlineData("prot", "port")]
    [InlineData("completely_different", null)]
    public void ClosestKey_Typos_Suggested(string key, string? expected) =>
        BusConfiguration.ClosestKey(key, ["hop_limit", "port", "receive_own_messages", "fd"]).Should().Be(expected);
}
