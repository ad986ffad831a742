using CanUdpMulticast.Cli.Tests.Support;
using CanUdpMulticast.IO;

namespace CanUdpMulticast.Cli.Tests.Commands;

public sealed class ConvertCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("canudp-convert-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly CanMessage[] Frames =
    [
        new CanMessage(0x123, [0xDE, 0xAD]) { Timestamp = 1_700_000_000.125, Channel = "vcan0" },
        new CanMessage(0x1ABCDEF, [1, 2, 3, 4, 5, 6, 7, 8], isExtendedId: true) { Timestamp = 1_700_000_000.25, Channel = "vcan0" },
        new CanMessage { ArbitrationId = 0x7FF, IsRemoteFrame = true, Dlc = 4, Timestamp = 1_700_000_000.5, Channel = "vcan0" },
        new CanMessage(0x321, new byte[64]) { IsFd = true, BitrateSwitch = true, Timestamp = 1_700_000_000.75, Channel = "vcan0" },
    ];

    [Theory]
    [InlineData(".asc")]
    [InlineData(".blf")]
    [InlineData(".csv")]
    [InlineData(".trc")]
    [InlineData(".db")]
    [InlineData(".log.gz")]
    public async Task Convert_LogToOtherFormatAndBack_KeepsEveryFrame(string suffix)
    {
        var source = Path.Combine(_directory, "in.log");
        using (var writer = CanLogWriter.Create(source))
        {
            foreach (var frame in Frames)
            {
                writer.Write(frame);
            }
        }

        var converted = Path.Combine(_directory, "out" + suffix);
        var back = Path.Combine(_directory, "back.log");

        (await Canudp.RunAsync("convert", source, converted)).ExitCode.Should().Be(0);
        var result = await Canudp.RunAsync("convert", converted, back);

        result.ExitCode.Should().Be(0);
        using var reader = CanLogReader.Open(back);
        var read = reader.ToList();
        read.Should().HaveCount(Frames.Length);
        for (var i = 0; i < Frames.Length; i++)
        {
            // CSV and SQLite cannot carry BRS (see the README's formats table); everything else must survive.
            var expected = suffix is ".csv" or ".db" ? Frames[i] with { BitrateSwitch = false } : Frames[i];
            read[i].IsEquivalentTo(expected, timestampDelta: 1e-5, checkChannel: false).Should().BeTrue($"{suffix}: {read[i]} vs {expected}");
        }
    }

    [Fact]
    public async Task Convert_UnknownOutputSuffix_IsAUsageError()
    {
        var source = Path.Combine(_directory, "in.log");
        await File.WriteAllTextAsync(source, "(1.000000) vcan0 123#11\n");

        var result = await Canudp.RunAsync("convert", source, Path.Combine(_directory, "out.xyz"));

        result.ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task Convert_MissingInput_IsARuntimeFailure()
    {
        var result = await Canudp.RunAsync("convert", Path.Combine(_directory, "missing.log"), Path.Combine(_directory, "out.asc"));

        result.ExitCode.Should().Be(1);
    }
}
