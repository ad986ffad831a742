using CanUdpMulticast.Registry;

namespace CanUdpMulticast.Tests.Registry;

/// <summary>The INI reader for python-can's config files (python's configparser dialect).</summary>
public sealed class IniFileTests
{
    private static IniFile Parse(string text) => IniFile.Parse("test.conf", text.Split('\n'));

    private static Dictionary<string, string> Values(IniFile file, string section) =>
        file.Sections[section].ToDictionary(kv => kv.Key, kv => kv.Value.Value);

    [Fact]
    public void Parse_SectionsAndBothSeparators()
    {
        var file = Parse("[default]\ninterface = virtual\nchannel: vcan0\n\n[other]\nbitrate=500000\n");
        Values(file, "default").Should().BeEquivalentTo(new Dictionary<string, string> { ["interface"] = "virtual", ["channel"] = "vcan0" });
        Values(file, "other").Should().BeEquivalentTo(new Dictionary<string, string> { ["bitrate"] = "500000" });
    }

    [Fact]
    public void Parse_LineNumbers_OneBasedPerKey()
    {
        var file = Parse("# header\n[default]\n\na = 1\nb = 2\n");
        file.Sections["default"]["a"].Line.Should().Be(4);
        file.Sections["default"]["b"].Line.Should().Be(5);
        file.Path.Should().Be("test.conf");
    }

    [Fact]
    public void Parse_FirstSeparatorSplits()
    {
        var file = Parse("[default]\nchannel = 239.0.0.1:5000\nurl: http://x=y\n");
        Values(file, "default")["channel"].Should().Be("239.0.0.1:5000");
        Values(file, "default")["url"].Should().Be("http://x=y");
    }

    [Fact]
    public void Parse_KeysKeepTheirCase()
    {
        var file = Parse("[default]\nReceiveOwnMessages = true\n");
        file.Sections["default"].Should().ContainKey("ReceiveOwnMessages");
    }

    [Fact]
    public void Parse_SectionNamesAreCaseSensitive()
    {
        var file = Parse("[default]\na = 1\n[DEFAULT]\na = 2\n");
        Values(file, "default")["a"].Should().Be("1");
        Values(file, "DEFAULT")["a"].Should().Be("2");
    }

    [Fact]
    public void Parse_CommentLines_Skipped()
    {
        var file = Parse("; top\n[default]\n# a comment\n  ; indented comment\na = 1\n");
        Values(file, "default").Should().BeEquivalentTo(new Dictionary<string, string> { ["a"] = "1" });
    }

    [Fact]
    public void Parse_InlineHash_IsPartOfTheValue() =>
        // configparser's default has no inline comments
        Values(Parse("[default]\na = x # not a comment\n"), "default")["a"].Should().Be("x # not a comment");

    [Fact]
    public void Parse_EmptyValue_Empty() => Values(Parse("[default]\na =\nb:\n"), "default").Should().BeEquivalentTo(new Dictionary<string, string> { ["a"] = string.Empty, ["b"] = string.Empty });

    [Fact]
    public void Parse_ContinuationLines_JoinedWithNewlines()
    {
        var file = Parse("[default]\ncan_filters = 123:7FF,\n    456:7FF\n\t789:7FF\nnext = 1\n");
        Values(file, "default")["can_filters"].Should().Be("123:7FF,\n456:7FF\n789:7FF");
        Values(file, "default")["next"].Should().Be("1");
        file.Sections["default"]["can_filters"].Line.Should().Be(2);
    }

    [Fact]
    public void Parse_CommentInsideContinuation_SkippedAndValueContinues() =>
        Values(Parse("[default]\na = 1\n  # note\n  2\n"), "default")["a"].Should().Be("1\n2");

    [Fact]
    public void Parse_BlankLineInsideContinuation_KeptLikeConfigparser() =>
        // python: configparser (empty_lines_in_values=True) gives 'one\n\ntwo'
        Values(Parse("[default]\na = one\n\n  two\nb = 3\n"), "default")
            .Should().BeEquivalentTo(new Dictionary<string, string> { ["a"] = "one\n\ntwo", ["b"] = "3" });

    [Fact]
    public void Parse_TrailingBlankLinesAfterAValue_NotPartOfIt() => Values(Parse("[default]\na = one\n\n\n"), "default")["a"].Should().Be("one");

    [Fact]
    public void Parse_IndentedKeysAtTheSameDepth_AreSeparateKeys() =>
        // a continuation must be indented deeper than its key (configparser)
        Values(Parse("[default]\n  a = 1\n  b = 2\n    more\n"), "default")
            .Should().BeEquivalentTo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2\nmore" });

    [Fact]
    public void Parse_IndentedFirstKeyInSection_IsAKey() => Values(Parse("[default]\n  a = 1\n"), "default")["a"].Should().Be("1");

    [Fact]
    public void Parse_SectionRepeated_Merged()
    {
        var file = Parse("[default]\na = 1\n[other]\nx = 0\n[default]\nb = 2\n");
        Values(file, "default").Should().BeEquivalentTo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
    }

    [Theory]
    [InlineData("a = 1", 1, "before any [section]")]
    [InlineData("[default]\njust words", 2, "'just words' is not 'key = value'")]
    [InlineData("[default]\n= value", 2, "'= value' is not 'key = value'")]
    [InlineData("[default", 1, "'[default' is not a section header")]
    [InlineData("[]", 1, "'[]' is not a section header")]
    public void Parse_MalformedLine_ErrorWithFileAndLine(string text, int line, string what) =>
        FluentActions.Invoking(() => Parse(text)).Should().Throw<CanInitializationException>().WithMessage($"test.conf:{line}: *{what}*");
}
