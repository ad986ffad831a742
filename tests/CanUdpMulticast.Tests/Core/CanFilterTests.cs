namespace CanUdpMulticast.Tests.Core;

/// <summary>python-can's filter rule (can/bus.py <c>_matches_filters</c>) plus candump's inverted <c>id~mask</c>.</summary>
public sealed class CanFilterTests
{
    private static CanMessage Std(uint id) => new() { ArbitrationId = id };

    private static CanMessage Ext(uint id) => new() { ArbitrationId = id, IsExtendedId = true };

    [Theory]
    [InlineData(0x123u, 0x7FFu, 0x123u, true)]
    [InlineData(0x123u, 0x7FFu, 0x124u, false)]
    [InlineData(0x120u, 0x7F0u, 0x12Fu, true)]
    [InlineData(0x120u, 0x7F0u, 0x130u, false)]
    [InlineData(0x123u, 0x000u, 0x456u, true)]
    [InlineData(0xFFFu, 0x0F0u, 0x0F5u, true)]
    public void Matches_IdAndMask_ComparesOnlyMaskedBits(uint id, uint mask, uint messageId, bool expected)
    {
        var filter = new CanFilter(id, mask);
        filter.Matches(Std(messageId)).Should().Be(expected);
        filter.Matches(Ext(messageId)).Should().Be(expected, "without Extended the flag is not compared");
    }

    [Fact]
    public void Matches_ExtendedTrue_RejectsStandardFrames()
    {
        var filter = new CanFilter(0x123, 0x7FF, Extended: true);
        filter.Matches(Ext(0x123)).Should().BeTrue();
        filter.Matches(Std(0x123)).Should().BeFalse();
    }

    [Fact]
    public void Matches_ExtendedFalse_RejectsExtendedFrames()
    {
        var filter = new CanFilter(0x123, 0x7FF, Extended: false);
        filter.Matches(Std(0x123)).Should().BeTrue();
        filter.Matches(Ext(0x123)).Should().BeFalse();
    }

    [Fact]
    public void Matches_Inverted_PassesWhatTheIdMaskTestRejects()
    {
        var filter = new CanFilter(0x123, 0x7FF, Inverted: true);
        filter.Matches(Std(0x123)).Should().BeFalse();
        filter.Matches(Std(0x124)).Should().BeTrue();
        filter.Matches(Ext(0x1FFF_0000)).Should().BeTrue();
    }

    [Fact]
    public void Matches_InvertedWithExtended_ExtendedConditionStillApplies()
    {
        var filter = new CanFilter(0x123, 0x7FF, Extended: true, Inverted: true);
        filter.Matches(Std(0x124)).Should().BeFalse("a standard frame fails the Extended condition, inverted or not");
        filter.Matches(Ext(0x124)).Should().BeTrue();
        filter.Matches(Ext(0x123)).Should().BeFalse();
    }

    [Fact]
    public void Matches_RemoteAndErrorFrames_NoSpecialTreatment()
    {
        var filter = new CanFilter(0x100, 0x7FF);
        filter.Matches(new CanMessage { ArbitrationId = 0x100, IsRemoteFrame = true, Dlc = 2 }).Should().BeTrue();
        filter.Matches(new CanMessage { ArbitrationId = 0x100, IsErrorFrame = true }).Should().BeTrue();
        filter.Matches(new CanMessage { ArbitrationId = 0x101, IsErrorFrame = true }).Should().BeFalse();
    }

    [Fact]
    public void MatchesAny_NoFilters_PassesEverything()
    {
        CanFilter.MatchesAny([], Std(0x7FF)).Should().BeTrue();
        CanFilter.MatchesAny(ReadOnlySpan<CanFilter>.Empty, Ext(0x1FFF_FFFF)).Should().BeTrue();
    }

    [Fact]
    public void MatchesAny_OneOfSeveralMatches_Passes()
    {
        CanFilter[] filters = [new(0x100, 0x7FF), new(0x200, 0x7FF), new(0x300, 0x700)];
        CanFilter.MatchesAny(filters, Std(0x200)).Should().BeTrue();
        CanFilter.MatchesAny(filters, Std(0x3AB)).Should().BeTrue();
        CanFilter.MatchesAny(filters, Std(0x101)).Should().BeFalse();
    }

    [Theory]
    [InlineData("123:7FF", 0x123u, 0x7FFu, false)]
    [InlineData("123~7FF", 0x123u, 0x7FFu, true)]
    [InlineData("0x123:0x7ff", 0x123u, 0x7FFu, false)]
    [InlineData("0X1abcdef:1FFFFFFF", 0x1ABCDEFu, 0x1FFFFFFFu, false)]
    [InlineData("  7df:7f8 ", 0x7DFu, 0x7F8u, false)]
    [InlineData("0:0", 0u, 0u, false)]
    [InlineData("FFFFFFFF~FFFFFFFF", 0xFFFFFFFFu, 0xFFFFFFFFu, true)]
    public void Parse_ValidText_Filter(string text, uint id, uint mask, bool inverted)
    {
        var expected = new CanFilter(id, mask, Extended: null, Inverted: inverted);
        CanFilter.Parse(text).Should().Be(expected);
        CanFilter.TryParse(text, out var parsed).Should().BeTrue();
        parsed.Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("123")]
    [InlineData(":7FF")]
    [InlineData("123:")]
    [InlineData("123~")]
    [InlineData("~7FF")]
    [InlineData("12G:7FF")]
    [InlineData("123:7FX")]
    [InlineData("123:7FF:1")]
    [InlineData("123#7FF")]
    [InlineData("100000000:1")]
    [InlineData("-1:7FF")]
    [InlineData("0x:7FF")]
    [InlineData("1 2:7FF")]
    public void Parse_InvalidText_FormatExceptionNamingTheText(string text)
    {
        CanFilter.TryParse(text, out var filter).Should().BeFalse();
        filter.Should().Be(default(CanFilter));
        FluentActions.Invoking(() => CanFilter.Parse(text)).Should().Throw<FormatException>()
            .Where(e => e.Message.Contains("123:7FF", StringComparison.Ordinal), "the message shows an example")
            .Where(e => string.IsNullOrWhiteSpace(text) || e.Message.Contains($"'{text}'", StringComparison.Ordinal), "the message quotes the text");
    }

    [Fact]
    public void Parse_Null_Throws()
    {
        FluentActions.Invoking(() => CanFilter.Parse(null!)).Should().Throw<ArgumentNullException>();
        CanFilter.TryParse(null, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData(0x123u, 0x7FFu, null, false, "123:7FF")]
    [InlineData(0x123u, 0x7FFu, null, true, "123~7FF")]
    [InlineData(0x1ABCDEFu, 0x1FFFFFFFu, true, false, "1ABCDEF:1FFFFFFF (extended)")]
    [InlineData(0x1u, 0x0u, false, true, "1~0 (standard)")]
    public void ToString_HexWithSeparatorAndRestriction(uint id, uint mask, bool? extended, bool inverted, string expected) =>
        new CanFilter(id, mask, extended, inverted).ToString().Should().Be(expected);

    [Fact]
    public void ParseList_CommaSeparated_EachFilter() =>
        CanFilter.ParseList(" 123:7FF, 0x200~700 ").Should().Equal(new CanFilter(0x123, 0x7FF), new CanFilter(0x200, 0x700, Inverted: true));

    [Fact]
    public void ParseList_JsonList_PythonCansShape() =>
        CanFilter.ParseList("[{\"can_id\": 291, \"can_mask\": 2047, \"extended\": false}, {\"can_id\": 1, \"can_mask\": 1}]")
            .Should().Equal(new CanFilter(291, 2047, false), new CanFilter(1, 1));

    [Fact]
    public void ParseList_Empty_NoFilters() => CanFilter.ParseList("  ").Should().BeEmpty();

    [Theory]
    [InlineData("123:7FF,zz")]
    [InlineData("[{\"can_id\": 1}]")]
    [InlineData("[1, 2]")]
    public void ParseList_BadItem_FormatException(string text) =>
        FluentActions.Invoking(() => CanFilter.ParseList(text)).Should().Throw<FormatException>();
}
