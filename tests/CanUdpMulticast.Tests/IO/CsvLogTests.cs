using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Csv;

namespace CanUdpMulticast.Tests.IO;

public sealed class CsvLogTests
{
    private const string Header = "timestamp,arbitration_id,extended,remote,error,dlc,data\n";

    private static List<CanMessage> Read(string text, CanLogReaderOptions? options = null) =>
        LogText.ReadAll(new CsvReader(LogText.Stream(text), options));

    [Fact]
    public void Read_PythonCanRows_GiveFrames()
    {
        var frames = Read(Header + "1483389946.197,0x00dadada,1,0,0,7,WzQyLCA5XQ==\n0.5,123,0,1,0,3,\n2.0,0x0,1,0,1,0,\n");

        frames.Should().HaveCount(3);
        frames[0].Should().Be(new CanMessage(0xDADADA, "[42, 9]"u8, isExtendedId: true) { Timestamp = 1483389946.197 });
        frames[1].Should().Be(new CanMessage { ArbitrationId = 0x123, IsRemoteFrame = true, Dlc = 3, Timestamp = 0.5 });
        frames[2].Should().Be(new CanMessage(0, [], isExtendedId: true) { IsErrorFrame = true, Timestamp = 2 });
    }

    [Fact]
    public void Read_MoreThanEightBytes_IsCanFd()
    {
        var frame = Read(Header + "1.0,0x1,0,0,0,12,AAECAwQFBgcICQoL\n").Single();

        frame.IsFd.Should().BeTrue();
        frame.DataLength.Should().Be(12);
    }

    [Theory]
    [InlineData("time,id\n1.0,0x1,0,0,0,0,\n", 1)]
    [InlineData("", 0)]
    public void Read_WrongHeader_Throws(string text, int line)
    {
        var act = () => Read(text, new CanLogReaderOptions { InvalidLines = InvalidLineHandling.Skip });

        if (line == 0)
        {
            act().Should().BeEmpty("an empty file has no frames");
        }
        else
        {
            act.Should().Throw<CanLogFormatException>().Where(e => e.LineNumber == line);
        }
    }

    [Theory]
    [InlineData(Header + "1.0,0x1,0,0,0,0,\n1.0,0x1,0,0,0\n", 3)]
    [InlineData(Header + "1.0,0x1,0,0,0,2,AQ\n", 2)]
    [InlineData(Header + "x,0x1,0,0,0,0,\n", 2)]
    [InlineData(Header + "1.0,0x1,2,0,0,0,\n", 2)]
    [InlineData(Header + "1.0,0xZZ,0,0,0,0,\n", 2)]
    [InlineData(Header + "1.0,0x1,0,0,0,0,,\n", 2)]
    public void Read_BrokenRow_ThrowsWithItsLineNumber(string text, int line)
    {
        var act = () => Read(text);

        act.Should().Throw<CanLogFormatException>().Where(e => e.LineNumber == line);
    }

    [Fact]
    public void Write_PythonCanLayout()
    {
        var text = LogText.Write(s => new CsvWriter(s),
        [
            new CanMessage(0xDADADA, "[42, 9]"u8, isExtendedId: true) { Timestamp = 1483389946.197 },
            new CanMessage { ArbitrationId = 0x7FF, IsRemoteFrame = true, Dlc = 3, Timestamp = 1700000000 },
            new CanMessage(0, []) { IsErrorFrame = true, Timestamp = 0.1 },
        ]);

        text.Should().Be(Header + "1483389946.197,0xdadada,1,0,0,7,WzQyLCA5XQ==\n1700000000.0,0x7ff,0,1,0,3,\n0.1,0x0,0,0,1,0,\n");
    }

    [Fact]
    public void Write_Append_NoSecondHeader()
    {
        var text = LogText.Write(s => new CsvWriter(s, new CanLogWriterOptions { Append = true }), [new CanMessage(1, []) { Timestamp = 1 }]);

        text.Should().Be("1.0,0x1,0,0,0,0,\n");
    }
}
