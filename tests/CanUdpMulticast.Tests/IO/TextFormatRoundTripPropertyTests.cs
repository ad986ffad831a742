using CanUdpMulticast.IO;
using CsCheck;

namespace CanUdpMulticast.Tests.IO;

/// <summary>
/// Random valid frames written by our writer and read by our reader come back with every field the format carries
/// (the projection per format below states what each format cannot carry).
/// </summary>
public sealed class TextFormatRoundTripPropertyTests
{
    private static readonly CanChannel[] Channels = [CanChannel.None, "can0", "vcan3", 1, 7, "x"];

    private static readonly Gen<CanMessage> Core = Gen.Select(Gen.Int[0, 3], Gen.Bool, Gen.UInt, Gen.Byte.Array[0, 64], (kind, extended, id, data) =>
    {
        id &= extended ? 0x1FFF_FFFFu : 0x7FFu;
        return kind switch
        {
            0 => new CanMessage(id, data.AsSpan(0, Math.Min(data.Length, 8)), extended),
            1 => new CanMessage { ArbitrationId = id, IsExtendedId = extended, IsRemoteFrame = true, Dlc = data.Length % 9 },
            2 => new CanMessage(id, data.AsSpan(0, Math.Min(data.Length, 8)), extended) { IsErrorFrame = true },
            _ => new CanMessage(id, data, extended) { IsFd = true },
        };
    });

    private static readonly Gen<CanMessage> Frame = Gen.Select(Core, Gen.Bool, Gen.Bool, Gen.Bool, Gen.Int[0, Channels.Length - 1], (m, brs, esi, rx, channel) =>
        m with { BitrateSwitch = m.IsFd && brs, ErrorStateIndicator = m.IsFd && esi, IsRx = rx, Channel = Channels[channel] });

    private static readonly Gen<List<CanMessage>> Frames = Frame.InTimeOrder(1, 40);

    [Theory]
    [InlineData(".log")]
    [InlineData(".asc")]
    [InlineData(".csv")]
    [InlineData(".trc")]
    public void WriteThenRead_RandomValidFrames_KeepEveryFieldTheFormatCarries(string format)
    {
        var writerOptions = new CanLogWriterOptions { TimeZone = TimeZoneInfo.Utc };
        var readerOptions = new CanLogReaderOptions { TimeZone = TimeZoneInfo.Utc };
        Frames.Sample(frames =>
        {
            var stream = new MemoryStream();
            using (var writer = CanLogWriter.Create(stream, format, writerOptions, leaveOpen: true))
            {
                foreach (var frame in frames)
                {
                    writer.Write(frame);
                }
            }

            stream.Position = 0;
            using var reader = CanLogReader.Open(stream, format, readerOptions);
            var read = reader.ToList();

            read.Count.Should().Be(frames.Count);
            for (var i = 0; i < frames.Count; i++)
            {
                var expected = Expected(format, frames[i]);
                var delta = format == ".csv" ? 0 : 1.0001e-6;
                read[i].IsEquivalentTo(expected, delta).Should().BeTrue($"{format} frame {i}: read {read[i]}, expected {expected}");
            }
        }, iter: 150);
    }

    private static CanMessage Expected(string format, CanMessage m)
    {
        var number = LogTestMessages.ChannelNumber(m.Channel) ?? 0;
        switch (format)
        {
            case ".log":
                // Numbered channels become can<N> names, no channel the default vcan0; error frames lose direction
                // and FD flags and get python-can's bus-error class when their class is 0.
                CanChannel name = m.Channel.IsNone ? "vcan0" : m.Channel.IsNumber ? "can" + m.Channel.Number : m.Channel;
                return m.IsErrorFrame
                    ? m with { ArbitrationId = m.ArbitrationId == 0 ? 0x80u : m.ArbitrationId, IsExtendedId = true, IsRx = true, Channel = name }
                    : m with { Channel = name };
            case ".asc":
                // Channels are numbers (no channel: 1 in the file, 0 read); an error frame line holds its channel only.
                return m.IsErrorFrame
                    ? new CanMessage { IsErrorFrame = true, Channel = number, Timestamp = m.Timestamp }
                    : m with { Channel = number };
            case ".csv":
                // No channel, direction, FD, BRS or ESI columns; more than 8 bytes read as CAN FD.
                return m with
                {
                    Channel = CanChannel.None,
                    IsRx = true,
                    IsFd = m.DataLength > 8,
                    BitrateSwitch = false,
                    ErrorStateIndicator = false,
                };
            default:
                // TRC: buses are numbers; an error line has no id and no FD flag.
                return m.IsErrorFrame
                    ? new CanMessage(0, m.Data) { IsErrorFrame = true, Channel = number, IsRx = m.IsRx, Timestamp = m.Timestamp }
                    : m with { Channel = number };
        }
    }
}
