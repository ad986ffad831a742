using CanUdpMulticast.IO;
using CanUdpMulticast.Notifications;

namespace CanUdpMulticast.Tests.IO;

/// <summary>
/// Cross-checks with python-can 4.1.0: files our writers write are read by python-can's readers, and files python-can's
/// writers write (from <see cref="LogTestMessages.All"/>, at run time) are read by ours; every field the format and
/// python-can keep must compare equal, times within the format's resolution (1 µs).
/// </summary>
public sealed class PythonCanInteropTests : IDisposable
{
    private const double Microsecond = 1.000_1e-6;

    private readonly TempDirectory _directory = new();
    private readonly IReadOnlyList<CanMessage> _all = LogTestMessages.All;

    public void Dispose() => _directory.Dispose();

    [SkippableTheory]
    [InlineData("trace.log")]
    [InlineData("trace.log.gz")]
    public void CanutilsWriter_FileReadByPythonCan_KeptFieldsEqual(string name)
    {
        PythonCan.Require();
        var path = WriteOurs(name);

        var frames = PythonCan.Read("log", path);

        frames.Should().HaveCount(_all.Count);
        for (var i = 0; i < _all.Count; i++)
        {
            var m = _all[i];
            var p = frames[i];
            p.Timestamp.Should().BeApproximately(m.Timestamp, Microsecond, "frame {0}: {1}", i, p);
            p.IsErrorFrame.Should().Be(m.IsErrorFrame);
            if (m.IsErrorFrame)
            {
                // python-can 4.1 keeps only the time of an error frame in a .log file.
                continue;
            }

            p.ArbitrationId.Should().Be(m.ArbitrationId, "frame {0}: {1}", i, p);
            p.IsExtendedId.Should().Be(m.IsExtendedId);
            p.IsRemoteFrame.Should().Be(m.IsRemoteFrame);
            p.IsFd.Should().Be(m.IsFd);
            p.BitrateSwitch.Should().Be(m.BitrateSwitch);
            p.ErrorStateIndicator.Should().Be(m.ErrorStateIndicator);
            p.IsRx.Should().Be(m.IsRx);
            p.Dlc.Should().Be(m.Dlc);
            p.Data.Should().Be(Convert.ToHexString(m.Data));
            p.Channel.Should().Be(LogChannel(m.Channel));
        }
    }

    [SkippableFact]
    public void PythonCanLogWriter_FileReadByCanutilsReader_FieldsEqual()
    {
        PythonCan.Require();
        var path = _directory.File("python.log");
        PythonCan.Write("log", path, _all);

        var frames = ReadOurs(path);

        frames.Should().HaveCount(_all.Count);
        for (var i = 0; i < _all.Count; i++)
        {
            var m = _all[i];
            var expected = m with { Channel = LogChannel(m.Channel) };
            if (m.IsRemoteFrame)
            {
                expected = expected with { Dlc = 0 }; // python-can writes "R" without the DLC
            }

            if (m.IsErrorFrame)
            {
                // python-can writes every error frame as class CAN_ERR_BUSERROR (0x80) with its data, no direction.
                expected = expected with { ArbitrationId = 0x80, IsExtendedId = true, IsRx = true };
            }

            frames[i].IsEquivalentTo(expected, Microsecond).Should().BeTrue("frame {0}: read {1}, expected {2}", i, frames[i], expected);
        }
    }

    [SkippableTheory]
    [InlineData("trace.asc")]
    [InlineData("trace.asc.gz")]
    public void AscWriter_FileReadByPythonCan_KeptFieldsEqual(string name)
    {
        PythonCan.Require();
        var path = WriteOurs(name);

        var frames = PythonCan.Read("asc", path);

        frames.Should().HaveCount(_all.Count);
        for (var i = 0; i < _all.Count; i++)
        {
            var m = _all[i];
            var p = frames[i];
            p.Timestamp.Should().BeApproximately(m.Timestamp, Microsecond, "frame {0}: {1}", i, p);
            p.Channel.Should().Be(new CanChannel(LogTestMessages.ChannelNumber(m.Channel) ?? 0), "frame {0}: {1}", i, p);
            p.IsErrorFrame.Should().Be(m.IsErrorFrame);
            if (m.IsErrorFrame)
            {
                continue; // an ASC error frame line holds the time and the channel only
            }

            // python-can 4.1 takes a CANFD line without data for a remote frame.
            var pythonQuirk = m.IsFd && m.DataLength == 0;
            p.IsRemoteFrame.Should().Be(m.IsRemoteFrame || pythonQuirk, "frame {0}: {1}", i, p);
            p.ArbitrationId.Should().Be(m.ArbitrationId);
            p.IsExtendedId.Should().Be(m.IsExtendedId);
            p.IsFd.Should().Be(m.IsFd);
            p.BitrateSwitch.Should().Be(m.BitrateSwitch);
            p.ErrorStateIndicator.Should().Be(m.ErrorStateIndicator);
            p.IsRx.Should().Be(m.IsRx);
            p.Dlc.Should().Be(m.Dlc);
            p.Data.Should().Be(Convert.ToHexString(m.Data));
        }
    }

    [SkippableFact]
    public void PythonCanAscWriter_FileReadByAscReader_FieldsEqual()
    {
        PythonCan.Require();
        var path = _directory.File("python.asc");
        PythonCan.Write("asc", path, _all);

        var frames = ReadOurs(path);

        frames.Should().HaveCount(_all.Count);

        // python-can starts the measurement at the first frame and writes that start to the millisecond.
        frames[0].Timestamp.Should().BeApproximately(Math.Floor(_all[0].Timestamp * 1000) / 1000, Microsecond);
        for (var i = 0; i < _all.Count; i++)
        {
            var m = _all[i];
            var offset = frames[i].Timestamp - frames[0].Timestamp;
            offset.Should().BeApproximately(m.Timestamp - _all[0].Timestamp, Microsecond, "frame {0}", i);
            var expected = m.IsErrorFrame

                // python-can writes an error frame with its default channel 1 and nothing else.
                ? new CanMessage { IsErrorFrame = true, Channel = 0 }
                : m with { Channel = LogTestMessages.ChannelNumber(m.Channel) ?? 0 };
            frames[i].IsEquivalentTo(expected, timestampDelta: null).Should().BeTrue("frame {0}: read {1}, expected {2}", i, frames[i], expected);
        }
    }

    [SkippableTheory]
    [InlineData("trace.csv")]
    [InlineData("trace.csv.gz")]
    public void CsvWriter_FileReadByPythonCan_KeptFieldsEqual(string name)
    {
        PythonCan.Require();
        var path = WriteOurs(name);

        var frames = PythonCan.Read("csv", path);

        frames.Should().HaveCount(_all.Count);
        for (var i = 0; i < _all.Count; i++)
        {
            var m = _all[i];
            var p = frames[i];
            p.Timestamp.Should().Be(m.Timestamp, "CSV keeps every digit; frame {0}", i);
            p.ArbitrationId.Should().Be(m.ArbitrationId);
            p.IsExtendedId.Should().Be(m.IsExtendedId);
            p.IsRemoteFrame.Should().Be(m.IsRemoteFrame);
            p.IsErrorFrame.Should().Be(m.IsErrorFrame);
            p.Dlc.Should().Be(m.Dlc);
            p.Data.Should().Be(Convert.ToHexString(m.Data));
        }
    }

    [SkippableFact]
    public void PythonCanCsvWriter_FileReadByCsvReader_FieldsEqual()
    {
        PythonCan.Require();
        var path = _directory.File("python.csv");
        PythonCan.Write("csv", path, _all);

        var frames = ReadOurs(path);

        frames.Should().HaveCount(_all.Count);
        for (var i = 0; i < _all.Count; i++)
        {
            var m = _all[i];

            // No channel, direction, FD, BRS or ESI columns: FD is known from more than 8 bytes only.
            var expected = m with
            {
                Channel = CanChannel.None,
                IsRx = true,
                IsFd = m.DataLength > 8,
                BitrateSwitch = false,
                ErrorStateIndicator = false,
            };
            frames[i].Equals(expected).Should().BeTrue("frame {0}: read {1}, expected {2}", i, frames[i], expected);
        }
    }

    [SkippableTheory]
    [InlineData("trace.trc")]
    [InlineData("trace.trc.gz")]
    public void TrcWriter_FileReadByPythonCan_KeptFieldsEqual(string name)
    {
        PythonCan.Require();
        var path = WriteOurs(name);

        var frames = PythonCan.Read("trc", path);

        // python-can 4.1 reads only DT lines (classic data frames) and gives offsets from the trace start.
        var expected = _all.Where(m => !m.IsErrorFrame && !m.IsRemoteFrame && !m.IsFd).ToList();
        var start = Math.Floor(_all[0].Timestamp * 1000) / 1000;
        frames.Should().HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var m = expected[i];
            var p = frames[i];
            p.Timestamp.Should().BeApproximately(m.Timestamp - start, Microsecond, "frame {0}: {1}", i, p);
            p.Channel.Should().Be(new CanChannel((LogTestMessages.ChannelNumber(m.Channel) ?? 0) + 1), "python-can 4.1 keeps the bus number");
            p.ArbitrationId.Should().Be(m.ArbitrationId);
            p.IsExtendedId.Should().Be(m.IsExtendedId);
            p.IsRx.Should().Be(m.IsRx);
            p.Dlc.Should().Be(m.Dlc);
            p.Data.Should().Be(Convert.ToHexString(m.Data));
        }
    }

    [SkippableFact]
    public void PythonCanTrcWriter_FileReadByTrcReader_FieldsEqual()
    {
        PythonCan.Require();
        var path = _directory.File("python.trc");
        PythonCan.Write("trc", path, _all);

        var frames = ReadOurs(path);

        // python-can 4.1 writes classic data frames only (its $STARTTIME is garbage, so compare offsets).
        var written = _all.Where(m => !m.IsErrorFrame && !m.IsRemoteFrame && !m.IsFd).ToList();
        frames.Should().HaveCount(written.Count);
        for (var i = 0; i < written.Count; i++)
        {
            var m = written[i];
            (frames[i].Timestamp - frames[0].Timestamp).Should().BeApproximately(m.Timestamp - written[0].Timestamp, Microsecond, "frame {0}", i);
            var expected = m with { Channel = LogTestMessages.ChannelNumber(m.Channel) ?? 0 };
            frames[i].IsEquivalentTo(expected, timestampDelta: null).Should().BeTrue("frame {0}: read {1}, expected {2}", i, frames[i], expected);
        }
    }

    [SkippableFact]
    public void Printer_File_SameTextAsPythonCanPrinter()
    {
        PythonCan.Require();
        var ours = _directory.File("ours.txt");
        var theirs = _directory.File("python.txt");
        using (var printer = new Printer(ours))
        {
            foreach (var m in _all)
            {
                printer.OnMessageReceived(m);
            }
        }

        PythonCan.Write("txt", theirs, _all);

        // CanMessage.ToString follows python-can's newer layout of a standard id ("ID:      123"); 4.1.0 wrote
        // "    ID: 0123" in the same 12 columns. Everything else must be identical.
        var python41 = File.ReadAllText(theirs);
        var newerLayout = System.Text.RegularExpressions.Regex.Replace(python41, "        ID: 0([0-9a-f]{3})", "    ID:      $1");
        newerLayout.Should().NotBe(python41, "the file holds standard ids");
        File.ReadAllText(ours).Should().Be(newerLayout);
    }

    private static CanChannel LogChannel(CanChannel channel) =>
        channel.IsNone ? "vcan0"
        : channel.IsNumber ? "can" + channel.Number
        : channel.Name!.All(char.IsAsciiDigit) ? "can" + channel.Name
        : channel;

    private static List<CanMessage> ReadOurs(string path)
    {
        using var reader = CanLogReader.Open(path);
        return [.. reader];
    }

    private string WriteOurs(string name)
    {
        var path = _directory.File(name);
        using var writer = CanLogWriter.Create(path);
        foreach (var m in _all)
        {
            writer.Write(m);
        }

        return path;
    }
}
