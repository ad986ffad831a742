using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Asc;
using CanUdpMulticast.IO.Canutils;

namespace CanUdpMulticast.Tests.IO;

/// <summary>
/// Cross-checks with can-utils: our <c>.log</c> converts with <c>log2asc</c> and our <c>.asc</c> with <c>asc2log</c>,
/// and converting back gives the same frames. can-utils 2020.11 cannot read the ASC date without the de_DE or en_US
/// locale and then counts from the current time, so times are compared as offsets from the first frame.
/// </summary>
public sealed class CanUtilsRoundTripTests : IDisposable
{
    private const double Microsecond = 1.000_1e-6;

    private readonly TempDirectory _directory = new();
    private readonly IReadOnlyList<CanMessage> _frames = LogTestMessages.ForCanUtils;

    public void Dispose() => _directory.Dispose();

    [SkippableFact]
    public void CanutilsWriter_Log2AscThenAsc2Log_SameFrames()
    {
        CanUtils.Require();
        var log = _directory.File("ours.log");
        var asc = _directory.File("log2asc.asc");
        var back = _directory.File("asc2log.log");
        using (var writer = new CanutilsWriter(log))
        {
            foreach (var m in _frames)
            {
                writer.Write(m);
            }
        }

        CanUtils.Run("log2asc", "-I", log, "-O", asc, "can0", "can1", "can2");
        var viaAsc = Read(new AscReader(asc));
        CanUtils.Run("asc2log", "-I", asc, "-O", back);
        var roundTrip = Read(new CanutilsReader(back));

        // log2asc numbers the interfaces it was given from 1; an ASC error frame keeps only its channel.
        AssertSameFrames(viaAsc, m => m.IsErrorFrame
            ? new CanMessage { IsErrorFrame = true, Channel = LogTestMessages.ChannelNumber(m.Channel)!.Value }
            : m with { Channel = LogTestMessages.ChannelNumber(m.Channel)!.Value });

        // asc2log writes every error frame as class 0x80 with 8 zero bytes, as the test frames are.
        AssertSameFrames(roundTrip, m => m);
    }

    [SkippableFact]
    public void AscWriter_Asc2LogThenLog2Asc_SameFrames()
    {
        CanUtils.Require();
        var asc = _directory.File("ours.asc");
        var log = _directory.File("asc2log.log");
        var back = _directory.File("log2asc.asc");
        using (var writer = new AscWriter(asc))
        {
            foreach (var m in _frames)
            {
                writer.Write(m);
            }
        }

        CanUtils.Run("asc2log", "-I", asc, "-O", log);
        var viaLog = Read(new CanutilsReader(log));
        CanUtils.Run("log2asc", "-I", log, "-O", back, "can0", "can1", "can2");
        var roundTrip = Read(new AscReader(back));

        // asc2log names ASC channel N can<N-1>; an ASC error frame becomes class 0x80 with 8 zero bytes.
        AssertSameFrames(viaLog, m => m);
        AssertSameFrames(roundTrip, m => m.IsErrorFrame
            ? new CanMessage { IsErrorFrame = true, Channel = LogTestMessages.ChannelNumber(m.Channel)!.Value }
            : m with { Channel = LogTestMessages.ChannelNumber(m.Channel)!.Value });
    }

    private static List<CanMessage> Read(ICanLogReader reader)
    {
        using (reader)
        {
            return [.. reader];
        }
    }

    private void AssertSameFrames(List<CanMessage> actual, Func<CanMessage, CanMessage> expectedOf)
    {
        actual.Should().HaveCount(_frames.Count);
        for (var i = 0; i < _frames.Count; i++)
        {
            var expected = expectedOf(_frames[i]);
            (actual[i].Timestamp - actual[0].Timestamp).Should().BeApproximately(_frames[i].Timestamp - _frames[0].Timestamp, Microsecond, "frame {0}", i);
            actual[i].IsEquivalentTo(expected, timestampDelta: null).Should().BeTrue("frame {0}: got {1}, expected {2}", i, actual[i], expected);
        }
    }
}
