using CanUdpMulticast.Registry;

namespace CanUdpMulticast.Tests.Registry;

/// <summary>
/// Configuration sources and their precedence (python-can's <c>load_config</c>): explicit values &gt; environment with the
/// context suffix &gt; environment &gt; config file <c>[context]</c> &gt; config file <c>[default]</c>. The environment
/// is an injected dictionary and the files are temporary: the real HOME and environment are never read.
/// </summary>
public sealed class BusConfigurationLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("canudp-config-tests-").FullName;
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private BusConfigurationLoader Loader(params string[] files) => new()
    {
        GetEnvironmentVariable = name => _environment.GetValueOrDefault(name),
        ConfigFiles = files,
    };

    private string ConfigFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [SkippableFact]
    public void DefaultConfigFiles_Linux_PythonCansFourFilesInOrder()
    {
        Skip.If(OperatingSystem.IsWindows(), "the Linux/macOS list");
        BusConfigurationLoader.DefaultConfigFiles("/home/u").Should().Equal("/home/u/can.conf", "/etc/can.conf", "/home/u/.can", "/home/u/.canrc");
    }

    [Fact]
    public void Load_NothingAnywhere_EmptyConfiguration()
    {
        var config = Loader(Path.Combine(_dir, "missing.conf")).Load();
        config.Interface.Should().BeNull();
        config.Channel.Should().BeNull();
        config.Options.Should().BeEmpty();
        config.Filters.Should().BeNull();
    }

    [Fact]
    public void Load_EverySubsetOfTheFiveSources_TheHighestPresentWins()
    {
        // sources by rank: 0 file [default], 1 file [ctx], 2 env, 3 env _ctx, 4 explicit
        for (var present = 1; present < 32; present++)
        {
            _environment.Clear();
            var sections = string.Empty;
            if ((present & 1) != 0)
            {
                sections += "[default]\ninterface = file-default\nbitrate = 1\n";
            }

            if ((present & 2) != 0)
            {
                sections += "[ctx]\ninterface = file-ctx\nbitrate = 2\n";
            }

            var file = ConfigFile($"can-{present}.conf", sections);
            if ((present & 4) != 0)
            {
                _environment["CAN_INTERFACE"] = "env";
                _environment["CAN_BITRATE"] = "3";
            }

            if ((present & 8) != 0)
            {
                _environment["CAN_INTERFACE_ctx"] = "env-ctx";
                _environment["CAN_BITRATE_ctx"] = "4";
            }

            var explicitConfig = (present & 16) != 0 ? new BusConfiguration("explicit", options: [new("bitrate", 5L)]) : null;
            var config = Loader(file).Load(explicitConfig, context: "ctx");

            var winner = 31 - int.LeadingZeroCount(present);
            string[] interfaces = ["file-default", "file-ctx", "env", "env-ctx", "explicit"];
            string[] sources = [$"{file}:2 [default]", $"{file}:", "environment variable CAN_INTERFACE", "environment variable CAN_INTERFACE_ctx", "code"];
            config.Interface.Should().Be(interfaces[winner], $"sources {present:b5}");
            config.GetInt64("bitrate", 0).Should().Be(winner + 1, $"sources {present:b5}");
            config.InterfaceSource.Should().StartWith(sources[winner], $"sources {present:b5}");
        }
    }

    [Fact]
    public void Load_KeysFromDifferentSources_Merged()
    {
        var file = ConfigFile("can.conf", "[default]\ninterface = virtual\nchannel = from-file\nreceive_own_messages = true\n");
        _environment["CAN_CHANNEL"] = "from-env";
        var config = Loader(file).Load(new BusConfiguration(options: [new("rx_queue_size", 4L)]));
        config.Interface.Should().Be("virtual");
        config.InterfaceSource.Should().Be($"{file}:2 [default]");
        config.Channel.Should().Be("from-env");
        config.ChannelSource.Should().Be("environment variable CAN_CHANNEL");
        config.GetBoolean("receive_own_messages", false).Should().BeTrue();
        config.SourceOf("receive_own_messages").Should().Be($"{file}:4 [default]");
        config.GetInt64("rx_queue_size", 0).Should().Be(4);
        config.SourceOf("rx_queue_size").Should().Be("code");
    }

    [Fact]
    public void Load_NoContext_ContextSectionsAndVariablesIgnored()
    {
        var file = ConfigFile("can.conf", "[default]\nchannel = d\n[ctx]\nchannel = c\n");
        _environment["CAN_CHANNEL_ctx"] = "e";
        Loader(file).Load().Channel.Should().Be("d");
        Loader(file).Load(context: "other").Channel.Should().Be("d");
    }

    [Fact]
    public void Load_EmptyEnvironmentVariable_DoesNotOverrideLikePython()
    {
        // python-can: `if config_option:` skips CAN_INTERFACE/CAN_CHANNEL/CAN_BITRATE that are set but empty
        var file = ConfigFile("can.conf", "[default]\ninterface = virtual\nchannel = from-file\nbitrate = 500000\n");
        _environment["CAN_INTERFACE"] = string.Empty;
        _environment["CAN_CHANNEL"] = string.Empty;
        _environment["CAN_BITRATE_ctx"] = string.Empty;
        var config = Loader(file).Load(context: "ctx");
        config.Interface.Should().Be("virtual");
        config.Channel.Should().Be("from-file");
        config.GetInt64("bitrate", 0).Should().Be(500000);
    }

    [Fact]
    public void Load_CanConfigJson_TypedValuesAndCastStrings()
    {
        _environment["CAN_CONFIG"] = """
            {"interface": "virtual", "channel": 0, "receive_own_messages": true, "rx_queue_size": 5, "rate": 0.5,
             "name": "12", "text": "abc", "nothing": null, "list": [1, 2]}
            """;
        var config = Loader().Load();
        config.Interface.Should().Be("virtual");
        config.InterfaceSource.Should().Be("environment variable CAN_CONFIG");
        config.Channel.Should().Be("0");
        config.TryGetValue("receive_own_messages", out var own).Should().BeTrue();
        own.Should().Be(true);
        config.TryGetValue("rx_queue_size", out var size).Should().BeTrue();
        size.Should().Be(5L);
        config.TryGetValue("rate", out var rate).Should().BeTrue();
        rate.Should().Be(0.5);
        config.TryGetValue("name", out var name).Should().BeTrue();
        name.Should().Be(12L, "python-can casts every string value, whatever its source");
        config.GetString("text").Should().Be("abc");
        config.TryGetValue("nothing", out var nothing).Should().BeTrue();
        nothing.Should().BeNull();
        config.GetString("list").Should().Be("[1, 2]");
    }

    [Fact]
    public void Load_CanInterfaceAndCanConfig_TheVariableWinsAtTheSameLevel()
    {
        _environment["CAN_CONFIG"] = """{"interface": "from-json", "channel": "json-ch"}""";
        _environment["CAN_INTERFACE"] = "from-variable";
        var config = Loader().Load();
        config.Interface.Should().Be("from-variable");
        config.Channel.Should().Be("json-ch");
    }

    [Fact]
    public void Load_CanConfigWithContext_BeatsPlainCanConfig()
    {
        _environment["CAN_CONFIG"] = """{"channel": "plain", "bitrate": 1}""";
        _environment["CAN_CONFIG_ctx"] = """{"channel": "ctx"}""";
        var config = Loader().Load(context: "ctx");
        config.Channel.Should().Be("ctx");
        config.ChannelSource.Should().Be("environment variable CAN_CONFIG_ctx");
        config.GetInt64("bitrate", 0).Should().Be(1);
    }

    [Theory]
    [InlineData("CAN_CONFIG", "{not json", null, "*CAN_CONFIG*not valid JSON*")]
    [InlineData("CAN_CONFIG", "[1, 2]", null, "*CAN_CONFIG must be a JSON object*Array*")]
    [InlineData("CAN_CONFIG", "\"text\"", null, "*CAN_CONFIG must be a JSON object*String*")]
    [InlineData("CAN_CONFIG_ctx", "{\"a\": }", "ctx", "*CAN_CONFIG_ctx*not valid JSON*")]
    public void Load_InvalidCanConfig_ErrorNamingTheVariable(string variable, string value, string? context, string message)
    {
        _environment[variable] = value;
        FluentActions.Invoking(() => Loader().Load(context: context)).Should().Throw<CanInitializationException>().WithMessage(message);
    }

    [Fact]
    public void Load_SeveralFiles_LaterOverrideEarlierAndMissingAreSkipped()
    {
        var first = ConfigFile("first.conf", "[default]\nchannel = first\nbitrate = 1\n[ctx]\nport = 10\n");
        var second = ConfigFile("second.conf", "[default]\nchannel = second\n[ctx]\nport = 20\n");
        var config = Loader(first, Path.Combine(_dir, "missing"), second).Load(context: "ctx");
        config.Channel.Should().Be("second");
        config.ChannelSource.Should().Be($"{second}:2 [default]");
        config.GetInt64("bitrate", 0).Should().Be(1);
        config.GetInt64("port", 0).Should().Be(20);
    }

    [Fact]
    public void Load_MalformedFile_ErrorWithFileAndLine()
    {
        var file = ConfigFile("bad.conf", "[default]\ninterface = virtual\nthis line is wrong\n");
        FluentActions.Invoking(() => Loader(file).Load()).Should().Throw<CanInitializationException>().WithMessage($"{file}:3:*this line is wrong*");
    }

    [Fact]
    public void Load_LegacyBustype_IsTheInterface()
    {
        var file = ConfigFile("can.conf", "[default]\nbustype = virtual\n");
        var config = Loader(file).Load();
        config.Interface.Should().Be("virtual");
        config.Contains("bustype").Should().BeFalse();
    }

    [Fact]
    public void Load_InterfaceAndBustypeInOneSource_InterfaceWinsLikePython()
    {
        // python-can HEAD: bustype is copied to interface only if the same source has no interface
        var file = ConfigFile("can.conf", "[default]\ninterface = virtual\nbustype = socketcan\n");
        Loader(file).Load().Interface.Should().Be("virtual");
        _environment["CAN_CONFIG"] = """{"interface": "udp_multicast", "bustype": "socketcan"}""";
        Loader().Load().Interface.Should().Be("udp_multicast");
    }

    [Fact]
    public void Load_BustypeInAHigherSource_BeatsInterfaceInALowerOne()
    {
        var file = ConfigFile("can.conf", "[default]\ninterface = virtual\n");
        _environment["CAN_CONFIG"] = """{"bustype": "udp_multicast"}""";
        Loader(file).Load().Interface.Should().Be("udp_multicast");
    }

    [Fact]
    public void Load_ExplicitBustypeOption_IsTheInterfaceUnlessOneIsGiven()
    {
        Loader().Load(new BusConfiguration(options: [new("bustype", "virtual")])).Interface.Should().Be("virtual");
        var both = Loader().Load(new BusConfiguration("udp_multicast", options: [new("bustype", "virtual")]));
        both.Interface.Should().Be("udp_multicast");
        both.Contains("bustype").Should().BeFalse();
    }

    [Theory]
    [InlineData("123", 123L)]
    [InlineData("-5", -5L)]
    [InlineData("+7", 7L)]
    [InlineData("007", 7L)]
    [InlineData("0", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData(".5", 0.5)]
    [InlineData("-.5", -0.5)]
    [InlineData("1.5", 1.5)]
    [InlineData("1.5e3", 1500.0)]
    [InlineData("+1.5e-3", 0.0015)]
    [InlineData("0.0", 0.0)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("fAlSe", false)]
    public void CastFromString_PythonRules_Converted(string text, object expected) =>
        BusConfigurationLoader.CastFromString(text).Should().Be(expected);

    [Theory]
    [InlineData("1.5E3")] // python's pattern has a lower-case e only
    [InlineData("1e3")] // a float needs a decimal point
    [InlineData("5.")] // and digits after it
    [InlineData("1.2.3")]
    [InlineData("0x10")]
    [InlineData(" 12")]
    [InlineData("12 ")]
    [InlineData("")]
    [InlineData("yes")]
    [InlineData("on")]
    [InlineData("truee")]
    [InlineData("239.0.0.1")]
    [InlineData("nan")]
    [InlineData("inf")]
    [InlineData("1_000")]
    [InlineData("99999999999999999999")] // python would make an int; a long cannot hold it, so it stays text
    public void CastFromString_Otherwise_TheTextItself(string text) =>
        BusConfigurationLoader.CastFromString(text).Should().Be(text);

    [Fact]
    public void CastFromString_TrailingNewline_IntegerLikePython() =>
        // python's `$` also matches before a final newline, and int() ignores the whitespace
        BusConfigurationLoader.CastFromString("12\n").Should().Be(12L);

    [Fact]
    public void Load_FileValues_CastFromString()
    {
        var file = ConfigFile("can.conf", "[default]\nbitrate = 500000\nfd = True\nperiod = .5\ngroup = 239.0.0.1\nchannel = 0\n");
        var config = Loader(file).Load();
        config.TryGetValue("bitrate", out var bitrate).Should().BeTrue();
        bitrate.Should().Be(500000L);
        config.TryGetValue("fd", out var fd).Should().BeTrue();
        fd.Should().Be(true);
        config.TryGetValue("period", out var period).Should().BeTrue();
        period.Should().Be(0.5);
        config.GetString("group").Should().Be("239.0.0.1");
        config.Channel.Should().Be("0", "the channel stays text here (python-can would make it the int 0)");
    }

    [Fact]
    public void Load_CanFiltersJsonListInCanConfig_Filters()
    {
        _environment["CAN_CONFIG"] = """
            {"can_filters": [{"can_id": 291, "can_mask": 2047, "extended": false}, {"can_id": 1, "can_mask": 1}]}
            """;
        var config = Loader().Load();
        config.Filters.Should().Equal(new CanFilter(0x123, 0x7FF, Extended: false), new CanFilter(1, 1));
        config.Contains("can_filters").Should().BeFalse("the filters are taken out of the backend options");
    }

    [Fact]
    public void Load_CanFiltersTextInFile_Filters()
    {
        var file = ConfigFile("can.conf", "[default]\ncan_filters = 123:7FF, 456~7FF\n");
        Loader(file).Load().Filters.Should().Equal(new CanFilter(0x123, 0x7FF), new CanFilter(0x456, 0x7FF, Inverted: true));
    }

    [Fact]
    public void Load_CanFiltersJsonListInFile_Filters()
    {
        var file = ConfigFile("can.conf", "[default]\ncan_filters = [{\"can_id\": 16, \"can_mask\": 255}]\n");
        Loader(file).Load().Filters.Should().Equal(new CanFilter(16, 255));
    }

    [Fact]
    public void Load_CanFiltersBadText_ErrorNamingOptionSourceAndPart()
    {
        var file = ConfigFile("can.conf", "[default]\ncan_filters = 123:7FF,nonsense\n");
        FluentActions.Invoking(() => Loader(file).Load()).Should().Throw<CanInitializationException>()
            .WithMessage($"*'can_filters'*{file}:2 [default]*'nonsense'*");
    }

    [Theory]
    [InlineData("""[{"can_id": 1}]""")]
    [InlineData("""[{"can_id": -1, "can_mask": 1}]""")]
    [InlineData("""[{"can_id": "1", "can_mask": 1}]""")]
    [InlineData("""[1, 2]""")]
    [InlineData("""[{"can_id": 1, "can_mask": 1, "extended": "yes"}]""")]
    public void Load_CanFiltersBadJsonList_ErrorNamingTheOption(string json)
    {
        _environment["CAN_CONFIG"] = $$"""{"can_filters": {{json}}}""";
        FluentActions.Invoking(() => Loader().Load()).Should().Throw<CanInitializationException>()
            .WithMessage("*'can_filters'*environment variable CAN_CONFIG*");
    }

    [Fact]
    public void Load_ExplicitFilters_BeatFileFilters()
    {
        var file = ConfigFile("can.conf", "[default]\ncan_filters = 123:7FF\n");
        var config = Loader(file).Load(new BusConfiguration { Filters = [new CanFilter(1, 2)] });
        config.Filters.Should().Equal(new CanFilter(1, 2));
    }

    [Fact]
    public void Load_ExplicitCanFiltersOptionAsText_Filters()
    {
        var config = Loader().Load(new BusConfiguration(options: [new("can_filters", "100:700")]));
        config.Filters.Should().Equal(new CanFilter(0x100, 0x700));
    }

    [Fact]
    public void Load_ExplicitCanFiltersOptionAsFilterList_Filters()
    {
        CanFilter[] filters = [new(0x100, 0x700), new(0x1ABCDEF, 0x1FFFFFFF, Extended: true)];
        var config = Loader().Load(new BusConfiguration(options: [new("can_filters", filters)]));
        config.Filters.Should().Equal(filters);
        config.Contains("can_filters").Should().BeFalse();
    }

    [Fact]
    public void RegistryCreate_CanFiltersOptionAndFiltersProperty_PropertyWinsAndCallerConfigUnchanged()
    {
        var config = new BusConfiguration("virtual", "loader-" + Guid.NewGuid().ToString("N"), [new("can_filters", "100:700")])
        {
            Filters = [new CanFilter(1, 1)],
        };
        using var bus = new CanInterfaceRegistry().Create(config);
        bus.Filters.Should().Equal(new CanFilter(1, 1));
        config.Contains("can_filters").Should().BeTrue("Create works on a copy");
    }

    [Fact]
    public void CreateIgnoringConfig_CanFiltersOption_AppliedToTheBus()
    {
        var channel = "loader-" + Guid.NewGuid().ToString("N");
        using var bus = CanBus.Create("virtual", channel, new Dictionary<string, object?> { ["can_filters"] = "123:7FF" }, ignoreConfig: true);
        bus.Filters.Should().Equal(new CanFilter(0x123, 0x7FF));
    }
}
