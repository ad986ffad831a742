using CanUdpMulticast.Cli.Tests.Support;

namespace CanUdpMulticast.Cli.Tests.Commands;

/// <summary>Every kind of wrong command line gives exit code 2 and says what is wrong; runtime failures give 1.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData(new[] { "dump", "--no-such-option" }, "--no-such-option")]
    [InlineData(new[] { "no-such-command" }, "no-such-command")]
    [InlineData(new[] { "dump", "-i", "virtual", "--filter", "12x:7FF" }, "12x:7FF")]
    [InlineData(new[] { "dump", "-i", "virtual", "--bus-option", "novalue" }, "key=value")]
    [InlineData(new[] { "dump", "-i", "virtual", "--port", "70000" }, "1..65535")]
    [InlineData(new[] { "dump", "-i", "virtual", "--hop-limit", "300" }, "0..255")]
    [InlineData(new[] { "dump", "-i", "virtual", "-t", "x" }, "'x'")]
    [InlineData(new[] { "dump", "-i", "virtual", "--timeout", "soon" }, "not a duration")]
    [InlineData(new[] { "dump", "-i", "virtual", "--fd", "--no-fd" }, "exclude each other")]
    [InlineData(new[] { "dump", "-i", "no_such_interface" }, "Known interfaces")]
    [InlineData(new[] { "dump", "-i", "virtual", "-n", "-3" }, "0 or more")]
    [InlineData(new[] { "gen", "-i", "virtual", "--rate", "10", "--gap", "5" }, "exclude each other")]
    [InlineData(new[] { "gen", "-i", "virtual", "--id", "XYZ" }, "--id 'XYZ'")]
    [InlineData(new[] { "gen", "-i", "virtual", "--data", "ABC" }, "--data 'ABC'")]
    [InlineData(new[] { "gen", "-i", "virtual", "--length", "12" }, "more than 8 bytes")]
    [InlineData(new[] { "replay", "-i", "virtual", "capture.xyz" }, "Known formats")]
    [InlineData(new[] { "log", "capture.xyz", "-i", "virtual" }, "Known formats")]
    [InlineData(new[] { "replay", "-i", "virtual", "x.log", "--loop", "zero" }, "--loop 'zero'")]
    [InlineData(new[] { "bridge", "-i", "virtual", "-c", "same", "--bus2-interface", "virtual", "--bus2-channel", "same" }, "same bus")]
    [InlineData(new[] { "detect", "-i", "no_such_interface" }, "unknown interface")]
    public async Task Command_WrongUsage_ExitsWith2AndNamesTheProblem(string[] args, string named)
    {
        var result = await Canudp.RunAsync(args);

        result.ExitCode.Should().Be(ExitCodes.Usage, result.ToString());
        result.Error.Should().Contain(named);
    }

    [Fact]
    public async Task NoArguments_ShowsHelpAndExitsWith2()
    {
        var result = await Canudp.RunAsync();

        result.ExitCode.Should().Be(ExitCodes.Usage);
        result.Out.Should().Contain("dump").And.Contain("demo").And.Contain("bridge");
    }

    [Fact]
    public async Task Help_ExitsWith0()
    {
        var result = await Canudp.RunAsync("send", "--help");

        result.ExitCode.Should().Be(ExitCodes.Ok);
        result.Out.Should().Contain("123#DEADBEEF").And.Contain("--interface").And.Contain("--bus-option");
    }

    [Fact]
    public async Task Replay_MissingFile_IsARuntimeFailure()
    {
        var result = await Canudp.RunAsync("replay", "-i", "virtual", Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.log"));

        result.ExitCode.Should().Be(ExitCodes.Failure);
        result.Error.Should().Contain("does not exist");
    }

    [Fact]
    public async Task Replay_MalformedFile_IsARuntimeFailureNamingTheLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.log");
        await File.WriteAllTextAsync(path, "(1.0) can0 123#11\n(2.0) can0 123#XYZ\n");
        try
        {
            var result = await Canudp.RunAsync("replay", "-i", "virtual", "-c", Canudp.UniqueChannel(), "--ignore-timestamps", path);

            result.ExitCode.Should().Be(ExitCodes.Failure);
            result.Error.Should().Contain(path).And.Contain("2");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task BadBackendOptionValue_IsAUsageErrorNamingTheOption()
    {
        var result = await Canudp.RunAsync("send", "-i", "virtual", "--bus-option", "rx_queue_size=-5", "123#00");

        result.ExitCode.Should().Be(ExitCodes.Usage);
        result.Error.Should().Contain("rx_queue_size");
    }
}
