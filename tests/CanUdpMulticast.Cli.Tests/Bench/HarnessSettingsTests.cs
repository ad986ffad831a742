using CanUdpMulticast.Harness.Orchestration;

namespace CanUdpMulticast.Cli.Tests.Bench;

/// <summary>The loopback harness's option parser, shared by scripts/bench.sh and <c>canudp bench</c>.</summary>
public sealed class HarnessSettingsTests
{
    [Fact]
    public void Parse_NoOptions_GivesTheFullRunDefaults()
    {
        var settings = Settings.Parse([]);

        settings.Reps.Should().Be(3);
        settings.Frames.Should().Be(200_000);
        settings.Pings.Should().Be(20_000);
        settings.JudgedPairs.Should().Be(5);
        settings.Quick.Should().BeFalse();
        settings.Only.Should().BeEquivalentTo(Settings.Scenarios);
        settings.Systems.Should().BeNull();
        settings.Out.Should().BeNull();
        settings.HelpRequested.Should().BeFalse();
    }

    [Theory]
    [InlineData("--quick --pings 300 --reps 2")]
    [InlineData("--pings 300 --reps 2 --quick")]
    public void Parse_QuickAndExplicitValues_ExplicitValuesWinWhereverQuickStands(string commandLine)
    {
        var settings = Settings.Parse(commandLine.Split(' '));

        settings.Quick.Should().BeTrue();
        settings.Pings.Should().Be(300);
        settings.Reps.Should().Be(2);
        settings.Frames.Should().Be(50_000, "--quick's value where nothing overrides it");
        settings.JudgedPairs.Should().Be(1);
        settings.DotnetWarmup.Should().Be(0.5);
    }

    [Fact]
    public void Parse_Lists_SelectScenariosAndRows()
    {
        var settings = Settings.Parse(["--only", "rtt,codec", "--systems", "raw, lib-sync", "--out", "r.md", "--warmup", "0", "--fanout-rate", "1e3"]);

        settings.Only.Should().BeEquivalentTo("rtt", "codec");
        settings.Systems.Should().BeEquivalentTo("raw", "lib-sync");
        settings.Includes(SystemUnderTest.RoundTrip.First(s => s.Key == "lib-sync")).Should().BeTrue();
        settings.Includes(SystemUnderTest.RoundTrip.First(s => s.Key == "python")).Should().BeFalse();
        settings.Out.Should().Be("r.md");
        settings.DotnetWarmup.Should().Be(0);
        settings.FanOutRate.Should().Be(1000);
    }

    [Fact]
    public void Parse_Help_IsReportedNotActedOn()
    {
        Settings.Parse(["--quick", "-h"]).HelpRequested.Should().BeTrue();
        Settings.Usage.Should().Contain("scripts/bench.sh").And.Contain("canudp bench");
        Settings.Options.Should().OnlyContain(o => Settings.Usage.Contains(o.Name, StringComparison.Ordinal) && Settings.Usage.Contains(o.Description, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "--reps" }, "--reps needs a value (N)")]
    [InlineData(new[] { "--reps", "1.5" }, "not '1.5'")]
    [InlineData(new[] { "--pings", "-3" }, "not '-3'")]
    [InlineData(new[] { "--judged-pairs", "0" }, "--judged-pairs needs a whole number of at least 1, not '0'")]
    [InlineData(new[] { "--fanout-seconds", "NaN" }, "not 'NaN'")]
    [InlineData(new[] { "--only", "" }, "empty list")]
    [InlineData(new[] { "--systems", "raw,lib-send" }, "unknown 'lib-send'; known: raw,mmsg,python")]
    [InlineData(new[] { "--out", "" }, "--out needs a file name")]
    public void Parse_BadOption_ThrowsAUsageErrorNamingIt(string[] args, string named)
    {
        FluentActions.Invoking(() => Settings.Parse(args)).Should().Throw<HarnessUsageException>().WithMessage($"*{named}*");
    }

    [Fact]
    public void AllKeys_HoldsEveryRowOfEveryScenarioOnce()
    {
        var rows = new[] { SystemUnderTest.Throughput, SystemUnderTest.RoundTrip, SystemUnderTest.Saturated, SystemUnderTest.FanOut, SystemUnderTest.Jitter, SystemUnderTest.Codec }
            .SelectMany(r => r).Select(r => r.Key);

        SystemUnderTest.AllKeys.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(rows.Distinct());
    }
}
