using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Blf;

namespace CanUdpMulticast.Tests.IO.Blf;

/// <summary>Cross-checks with python-can 4.1.0's BLFReader and BLFWriter (an external implementation of the format).</summary>
public sealed class BlfPythonCanInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("blf-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableTheory]
    [InlineData(false, -1)]
    [InlineData(true, 9)]
    [InlineData(false, 0)]
    public void BlfWriter_FileReadByPythonCan_EveryFieldPythonCanKeepsIsEqual(bool fd64, int compressionLevel)
    {
        PythonCan.Require();
        var path = Path.Combine(_dir, "ours.blf");
        using (var writer = new BlfWriter(path, new BlfWriterOptions { UseCanFdMessage64 = fd64, CompressionLevel = compressionLevel }))
        {
            foreach (var m in LogTestMessages.All)
            {
                writer.Write(m);
            }
        }

        var read = PythonCan.Read("blf", path);

        // python-can returns zero bytes up to the DLC for remote frames; their data is not a field of the frame.
        var expected = LogTestMessages.All.Select(m => BlfExpectations.AfterRoundTrip(m)).ToList();
        BlfExpectations.ShouldMatch(read, expected, timestampDelta: 1e-6, compareRemoteData: false);
    }

    [SkippableTheory]
    [InlineData("Europe/Berlin")]
    [InlineData("America/New_York")]
    public void HeaderStartTime_IsLocalTime_InTheSameTimeZoneAsPythonCan(string timeZoneName)
    {
        PythonCan.Require();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneName);
        var ours = Path.Combine(_dir, "tz-ours.blf");
        var theirs = Path.Combine(_dir, "tz-theirs.blf");
        using (var writer = new BlfWriter(ours, new BlfWriterOptions { TimeZone = zone }))
        {
            foreach (var m in LogTestMessages.All)
            {
                writer.Write(m);
            }
        }

        PythonCan.Write("blf", theirs, LogTestMessages.All, timeZoneName);

        var expected = LogTestMessages.All.Select(m => BlfExpectations.AfterRoundTrip(m)).ToList();
        BlfExpectations.ShouldMatch(PythonCan.Read("blf", ours, timeZoneName), expected, 1e-6, compareRemoteData: false);
        using var reader = new BlfReader(theirs, new BlfReaderOptions { TimeZone = zone });
        BlfExpectations.ShouldMatch(reader.ToList(), PythonCan.Read("blf", theirs, timeZoneName), 1e-9, compareRemoteData: false);
    }

    [SkippableFact]
    public void BlfWriter_NamedAndMissingChannels_PythonCanReadsTheSameChannelNumbers()
    {
        PythonCan.Require();
        var path = Path.Combine(_dir, "channels.blf");
        CanMessage[] messages =
        [
            new(1, [1]) { Timestamp = LogTestMessages.Start, Channel = "can3" },
            new(2, [2]) { Timestamp = LogTestMessages.Start + 1, Channel = CanChannel.None },
            new(3, [3]) { Timestamp = LogTestMessages.Start + 2, Channel = "vcan" },
        ];
        using (var writer = new BlfWriter(path, new BlfWriterOptions { DefaultChannel = 7 }))
        {
            foreach (var m in messages)
            {
                writer.Write(m);
            }
        }

        PythonCan.Read("blf", path).Select(m => m.Channel).Should().Equal(new CanChannel(3), new CanChannel(6), new CanChannel(6));
    }

    [SkippableFact]
    public void BlfWriter_ManyContainersWithStraddlingObjects_PythonCanReadsAll()
    {
        PythonCan.Require();
        var path = Path.Combine(_dir, "many.blf");
        var messages = Enumerable.Range(0, 3000)
            .Select(i => LogTestMessages.All[i % LogTestMessages.All.Count] with { Timestamp = LogTestMessages.Start + (i * 0.001) })
            .ToList();
        using (var writer = new BlfWriter(path, new BlfWriterOptions { MaxContainerSize = 1000 + 24 }))
        {
            foreach (var m in messages)
            {
                writer.Write(m);
            }
        }

        var read = PythonCan.Read("blf", path);
        BlfExpectations.ShouldMatch(read, messages.Select(m => BlfExpectations.AfterRoundTrip(m)).ToList(), 1e-6, compareRemoteData: false);
    }

    [SkippableFact]
    public void BlfWriter_NonSeekableStream_PythonCanReadsTimestampsAndFrames()
    {
        PythonCan.Require();
        var path = Path.Combine(_dir, "pipe.blf");
        using (var file = File.Create(path))
        using (var writer = new BlfWriter(CanLogFile.FromStream(new NonSeekableStream(file), leaveOpen: true)))
        {
            foreach (var m in LogTestMessages.All)
            {
                writer.Write(m);
            }
        }

        var expected = LogTestMessages.All.Select(m => BlfExpectations.AfterRoundTrip(m)).ToList();
        BlfExpectations.ShouldMatch(PythonCan.Read("blf", path), expected, 1e-6, compareRemoteData: false);
    }

    [SkippableTheory]
    [InlineData(-1)]
    [InlineData(0)]
    public void BlfReader_FileWrittenByPythonCan_EqualsPythonCansOwnReading(int compressionLevel)
    {
        PythonCan.Require();
        var path = Path.Combine(_dir, "theirs.blf");
        PythonCan.Write("blf", path, LogTestMessages.All, $"compression_level={compressionLevel}");

        List<CanMessage> ours;
        using (var reader = new BlfReader(path))
        {
            ours = reader.ToList();
            reader.SkippedObjectCount.Should().Be(0);
            reader.Header.ObjectCount.Should().Be((uint)LogTestMessages.All.Count);
        }

        // Field by field against python-can's reader on the same file (it returns zeros as remote frames' data).
        BlfExpectations.ShouldMatch(ours, PythonCan.Read("blf", path), timestampDelta: 1e-9, compareRemoteData: false);

        // And against the messages python-can was given: python-can's writer keeps the start time rounded to the
        // millisecond but the offsets from the exact first timestamp, so times are off by up to 0.5 ms.
        var expected = LogTestMessages.All.Select(m => BlfExpectations.AfterRoundTrip(m)).ToList();
        BlfExpectations.ShouldMatch(ours, expected, timestampDelta: 0.0005 + 1e-6);
    }

    [SkippableFact]
    public void BlfReader_LargeFileWrittenByPythonCan_ReadsAllFramesAcrossContainers()
    {
        PythonCan.Require();
        var path = Path.Combine(_dir, "large.blf");
        PythonCan.Run(["bench-write", "blf", path, "20000"]);

        using var reader = new BlfReader(path);
        var frames = reader.ToList();
        frames.Should().HaveCount(20000);
        frames.Select(m => m.ArbitrationId).Should().Equal(Enumerable.Range(0, 20000).Select(i => (uint)(i & 0x7FF)));
        byte[] data = [0, 1, 2, 3, 4, 5, 6, 7];
        frames.Should().OnlyContain(m => m.Dlc == 8 && m.ToArray().SequenceEqual(data) && m.Channel == new CanChannel(0));
    }

    [SkippableFact]
    public async Task BlfReader_Async_EqualsSync()
    {
        PythonCan.Require();
        var path = Path.Combine(_dir, "async.blf");
        PythonCan.Run(["bench-write", "blf", path, "5000"]);
        List<CanMessage> sync;
        using (var reader = new BlfReader(path))
        {
            sync = reader.ToList();
        }

        var async = new List<CanMessage>();
        await using (var reader = new BlfReader(path))
        {
            await foreach (var m in reader)
            {
                async.Add(m);
            }
        }

        async.Should().Equal(sync);
    }
}
