using System.Globalization;
using CanUdpMulticast.Registry;

namespace CanUdpMulticast.Tests.Registry;

/// <summary>Typed getters of <see cref="BusConfiguration"/> and their errors (which name the key, the value and the source).</summary>
public sealed class BusConfigurationTests
{
    private static BusConfiguration With(string key, object? value, string source = "unit test") =>
        new BusConfiguration("virtual").Also(c => c.Set(key, value, source));

    [Fact]
    public void Constructor_InterfaceChannelOptions_Kept()
    {
        var config = new BusConfiguration("udp_multicast", "239.0.0.1", [new("port", 43113L), new("fd", true)]);
        config.Interface.Should().Be("udp_multicast");
        config.Channel.Should().Be("239.0.0.1");
        config.InterfaceSource.Should().Be(BusConfiguration.CodeSource);
        config.ChannelSource.Should().Be("code");
        config.Options.Should().BeEquivalentTo(new Dictionary<string, object?> { ["port"] = 43113L, ["fd"] = true });
        config.SourceOf("port").Should().Be("code");
        config.Filters.Should().BeNull();
    }

    [Theory]
    [InlineData("receive_own_messages")]
    [InlineData("ReceiveOwnMessages")]
    [InlineData("receive-own-messages")]
    [InlineData("RECEIVE OWN MESSAGES")]
    public void Keys_AnySpelling_SameOption(string spelling)
    {
        var config = With("receive_own_messages", true);
        config.Contains(spelling).Should().BeTrue();
        config.GetBoolean(spelling, false).Should().BeTrue();
        config.TryGetValue(spelling, out var value).Should().BeTrue();
        value.Should().Be(true);
        config.SourceOf(spelling).Should().Be("unit test");
    }

    [Fact]
    public void Set_SameKeyOtherSpelling_ReplacesAndKeepsTheLastSpelling()
    {
        var config = With("receive_own_messages", true);
        config.Set("ReceiveOwnMessages", false, "later");
        config.Options.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, object?>("ReceiveOwnMessages", false));
        config.SourceOf("receive_own_messages").Should().Be("later");
    }

    [Fact]
    public void Set_EmptyKey_Throws()
    {
        var config = new BusConfiguration();
        FluentActions.Invoking(() => config.Set(" ", 1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => config.Set(null!, 1)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Remove_Option_Gone()
    {
        var config = With("bitrate", 500_000L);
        config.Remove("Bitrate").Should().BeTrue();
        config.Contains("bitrate").Should().BeFalse();
        config.Remove("bitrate").Should().BeFalse();
        config.SourceOf("bitrate").Should().BeNull();
        config.TryGetValue("bitrate", out var value).Should().BeFalse();
        value.Should().BeNull();
    }

    [Fact]
    public void Getters_MissingOrNull_ReturnTheDefault()
    {
        foreach (var config in new[] { new BusConfiguration(), With("x", null) })
        {
            config.GetInt64("x", 7).Should().Be(7);
            config.GetInt32("x", 8).Should().Be(8);
            config.GetDouble("x", 1.5).Should().Be(1.5);
            config.GetBoolean("x", true).Should().BeTrue();
            config.GetString("x", "d").Should().Be("d");
            config.GetSeconds("x", TimeSpan.FromSeconds(3)).Should().Be(TimeSpan.FromSeconds(3));
            config.GetEnum("x", QueueFullMode.Wait).Should().Be(QueueFullMode.Wait);
        }
    }

    public static TheoryData<object, long> WholeNumbers => new()
    {
        { 5L, 5 }, { 6, 6 }, { (short)7, 7 }, { (byte)8, 8 }, { 9u, 9 }, { 10.0, 10 }, { -3.0, -3 },
        { "11", 11 }, { " -12 ", -12 }, { "+13", 13 }, { "0x1F", 31 }, { "0XfF", 255 },
    };

    [Theory]
    [MemberData(nameof(WholeNumbers))]
    public void GetInt64_WholeNumberInAnyForm_Read(object value, long expected) => With("n", value).GetInt64("n", 0).Should().Be(expected);

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("99999999999999999999")]
    public void GetInt64_NotAWholeNumber_ErrorNamesKeyValueAndSource(string value) =>
        FluentActions.Invoking(() => With("Port", value, "file.conf:3 [default]").GetInt64("port", 0))
            .Should().Throw<CanInitializationException>()
            .WithMessage($"Option 'Port' has the value '{value}' (from file.conf:3 [default]), but it must be a whole number.");

    [Fact]
    public void GetInt64_NonWholeOrNonNumericTypes_Errors()
    {
        FluentActions.Invoking(() => With("n", 1.5).GetInt64("n", 0)).Should().Throw<CanInitializationException>();
        FluentActions.Invoking(() => With("n", true).GetInt64("n", 0)).Should().Throw<CanInitializationException>();
        FluentActions.Invoking(() => With("n", double.NaN).GetInt64("n", 0)).Should().Throw<CanInitializationException>();
        FluentActions.Invoking(() => With("n", double.PositiveInfinity).GetInt64("n", 0)).Should().Throw<CanInitializationException>();
    }

    [Theory]
    [InlineData(9.3e18)]
    [InlineData(9223372036854775807.0)] // is 2^63, one more than long.MaxValue
    [InlineData(-9.3e18)]
    public void GetInt64_DoubleOutsideTheLongRange_Error(double value) =>
        FluentActions.Invoking(() => With("n", value).GetInt64("n", 0)).Should().Throw<CanInitializationException>();

    [Fact]
    public void GetInt64_DoubleAtTheLongMinimum_Read() => With("n", -9223372036854775808.0).GetInt64("n", 0).Should().Be(long.MinValue);

    [Fact]
    public void GetInt64_OutOfRange_ErrorNamesTheRange()
    {
        FluentActions.Invoking(() => With("port", 70000L, "environment variable CAN_CONFIG").GetInt64("port", 0, min: 1, max: 65534))
            .Should().Throw<CanInitializationException>()
            .WithMessage("Option 'port' has the value '70000' (from environment variable CAN_CONFIG), but it must be a whole number from 1 to 65534.");
        With("port", 1L).GetInt64("port", 0, min: 1, max: 65534).Should().Be(1);
        With("port", 65534L).GetInt64("port", 0, min: 1, max: 65534).Should().Be(65534);
    }

    [Fact]
    public void GetInt32_BeyondInt32_Error()
    {
        FluentActions.Invoking(() => With("n", 1L << 31).GetInt32("n", 0)).Should().Throw<CanInitializationException>().WithMessage("*from -2147483648 to 2147483647*");
        With("n", int.MinValue).GetInt32("n", 0).Should().Be(int.MinValue);
        FluentActions.Invoking(() => With("n", -1L).GetInt32("n", 0, min: 0)).Should().Throw<CanInitializationException>();
    }

    [Theory]
    [InlineData(1.5, 1.5)]
    [InlineData(2L, 2.0)]
    [InlineData(3, 3.0)]
    [InlineData(0.25f, 0.25)]
    [InlineData("1e3", 1000.0)]
    [InlineData(" .5 ", 0.5)]
    [InlineData("-2", -2.0)]
    public void GetDouble_NumberInAnyForm_Read(object value, double expected) => With("d", value).GetDouble("d", 0).Should().Be(expected);

    [Fact]
    public void GetDouble_AnyCulture_DotIsTheDecimalSeparator()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            With("d", "1.5").GetDouble("d", 0).Should().Be(1.5);
            With("d", 1.5).GetString("d").Should().Be("1.5");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void GetDouble_NotANumber_Error() =>
        FluentActions.Invoking(() => With("timeout", "soon").GetDouble("timeout", 0))
            .Should().Throw<CanInitializationException>().WithMessage("Option 'timeout' has the value 'soon' (from unit test), but it must be a number.");

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(1L, true)]
    [InlineData(0L, false)]
    [InlineData(1, true)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData(" YES ", true)]
    [InlineData("no", false)]
    [InlineData("on", true)]
    [InlineData("OFF", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public void GetBoolean_BooleanInAnyForm_Read(object value, bool expected) => With("b", value).GetBoolean("b", !expected).Should().Be(expected);

    [Theory]
    [InlineData("maybe")]
    [InlineData(2L)]
    [InlineData(-1)]
    [InlineData(1.0)]
    public void GetBoolean_NotABoolean_Error(object value) =>
        FluentActions.Invoking(() => With("fd", value).GetBoolean("fd", false))
            .Should().Throw<CanInitializationException>().WithMessage($"Option 'fd' has the value '{Convert.ToString(value, CultureInfo.InvariantCulture)}' (from unit test), but it must be true or false.");

    [Fact]
    public void GetSeconds_SecondsInAnyForm_Read()
    {
        With("t", 0.5).GetSeconds("t", TimeSpan.Zero).Should().Be(TimeSpan.FromMilliseconds(500));
        With("t", 2L).GetSeconds("t", TimeSpan.Zero).Should().Be(TimeSpan.FromSeconds(2));
        With("t", "1.25").GetSeconds("t", TimeSpan.Zero).Should().Be(TimeSpan.FromSeconds(1.25));
        With("t", TimeSpan.FromMinutes(1)).GetSeconds("t", TimeSpan.Zero).Should().Be(TimeSpan.FromMinutes(1));
        With("t", 0L).GetSeconds("t", TimeSpan.FromSeconds(9)).Should().Be(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void GetSeconds_NegativeOrNotFinite_Error(double seconds) =>
        FluentActions.Invoking(() => With("period", seconds).GetSeconds("period", TimeSpan.Zero))
            .Should().Throw<CanInitializationException>().WithMessage("Option 'period'*(from unit test)*non-negative number of seconds*");

    [Theory]
    [InlineData("drop_oldest", QueueFullMode.DropOldest)]
    [InlineData("DropOldest", QueueFullMode.DropOldest)]
    [InlineData("DROP-NEWEST", QueueFullMode.DropNewest)]
    [InlineData("wait", QueueFullMode.Wait)]
    public void GetEnum_NameInAnySpelling_Read(string value, QueueFullMode expected) =>
        With("mode", value).GetEnum("mode", QueueFullMode.DropNewest).Should().Be(expected);

    [Theory]
    [InlineData("CAN_20", CanProtocol.Can20)]
    [InlineData("CAN_FD", CanProtocol.CanFd)]
    [InlineData("CAN_FD_NON_ISO", CanProtocol.CanFdNonIso)]
    [InlineData("CAN_XL", CanProtocol.CanXl)]
    public void GetEnum_PythonCanProtocolNames_Read(string value, CanProtocol expected) =>
        With("protocol", value).GetEnum("protocol", CanProtocol.Can20).Should().Be(expected);

    [Fact]
    public void GetEnum_TypedValue_Read() => With("mode", QueueFullMode.Wait).GetEnum("mode", QueueFullMode.DropNewest).Should().Be(QueueFullMode.Wait);

    [Theory]
    [InlineData(2L)]
    [InlineData(2)]
    [InlineData("2")]
    public void GetEnum_Number_ReadAsDocumented(object value) =>
        With("mode", value).GetEnum("mode", QueueFullMode.DropNewest).Should().Be((QueueFullMode)2);

    [Theory]
    [InlineData("sometimes")]
    [InlineData(7L)]
    [InlineData("-1")]
    public void GetEnum_NoSuchMember_ErrorListsTheNames(object value) =>
        FluentActions.Invoking(() => With("queue_full_mode", value).GetEnum("queue_full_mode", QueueFullMode.DropNewest))
            .Should().Throw<CanInitializationException>()
            .WithMessage($"Option 'queue_full_mode' has the value '{value}' (from unit test), but it must be one of DropNewest, DropOldest, Wait.");

    [Fact]
    public void GetString_ValuesOfAnyType_AsInvariantText()
    {
        With("s", "text").GetString("s").Should().Be("text");
        With("s", 5L).GetString("s").Should().Be("5");
        With("s", true).GetString("s").Should().Be("True");
        With("s", 0.1).GetString("s").Should().Be("0.1");
    }

    [Fact]
    public void InvalidValue_SetKey_NamesKeyValueSource() =>
        With("group", "nonsense", "CAN_CONFIG").InvalidValue("GROUP", "a multicast address").Message
            .Should().Be("Option 'group' has the value 'nonsense' (from CAN_CONFIG), but it must be a multicast address.");

    [Fact]
    public void InvalidValue_MissingKey_SaysItIsNotSet() =>
        new BusConfiguration().InvalidValue("group", "a multicast address").Message
            .Should().Be("Option 'group' is not set; expected a multicast address.");

    [Fact]
    public void Clone_IsIndependent()
    {
        var original = With("a", 1L);
        original.Filters = [new CanFilter(1, 2)];
        original.InterfaceSource = "somewhere";
        var copy = original.Clone();
        copy.Set("a", 2L);
        copy.Set("b", 3L);
        copy.Interface = "other";
        original.GetInt64("a", 0).Should().Be(1);
        original.Contains("b").Should().BeFalse();
        original.Interface.Should().Be("virtual");
        copy.InterfaceSource.Should().Be("somewhere");
        copy.Filters.Should().Equal(new CanFilter(1, 2));
        copy.SourceOf("a").Should().Be("code");
    }

    [Fact]
    public void ToString_ListsEverything()
    {
        var config = new BusConfiguration("virtual", "ch", [new("rate", 0.5), new("name", null)]);
        config.ToString().Should().Be("interface=virtual, channel=ch, rate=0.5, name=None");
        new BusConfiguration().ToString().Should().Be("interface=(none), channel=(default)");
    }

    [Fact]
    public void Normalize_DropsSeparatorsAndCase() => BusConfiguration.Normalize("Receive_Own-Messages X").Should().Be("receiveownmessagesx");
}

internal static class ConfigurationTestExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
