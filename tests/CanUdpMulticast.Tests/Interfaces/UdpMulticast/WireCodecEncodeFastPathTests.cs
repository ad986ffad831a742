using CanUdpMulticast.Interfaces.UdpMulticast;
using CsCheck;

namespace CanUdpMulticast.Tests.Interfaces.UdpMulticast;

/// <summary>
/// The byte-by-byte encoder (frames whose channel is none or a number) must write exactly what MessagePackWriter writes,
/// for every field value, including the edges of each integer encoding.
/// </summary>
public sealed class WireCodecEncodeFastPathTests
{
    private static readonly Gen<uint> Id = Gen.OneOf(
        Gen.UInt,
        Gen.UInt[0, 300],
        Edges(0u, 0x7Fu, 0x80u, 0xFFu, 0x100u, 0xFFFFu, 0x1_0000u, 0x7FFu, 0x1FFF_FFFFu, uint.MaxValue));

    private static readonly Gen<long> Number = Gen.OneOf(
        Gen.Long,
        Gen.Long[-300, 300],
        Edges(0L, 127L, 128L, 255L, 256L, 65535L, 65536L, uint.MaxValue, uint.MaxValue + 1L, long.MaxValue,
            -1L, -32L, -33L, -128L, -129L, short.MinValue, short.MinValue - 1L, int.MinValue, int.MinValue - 1L, long.MinValue));

    private static readonly Gen<CanChannel> Channel = Gen.OneOf(Gen.Const(CanChannel.None), Number.Select(n => new CanChannel(n)));

    private static readonly Gen<CanMessage> Frames =
        from id in Id
        from flags in Gen.Int[0, 127]
        from data in Gen.Byte.Array[0, 64]
        from dlc in Gen.Int[0, 64]
        from channel in Channel
        from timestamp in Gen.OneOf(Gen.Double, Gen.Double[0, 2e9], Edges(0.0, -0.0, double.NaN, double.PositiveInfinity, double.Epsilon))
        select new CanMessage(id, data)
        {
            IsExtendedId = (flags & 1) != 0,
            IsRemoteFrame = (flags & 2) != 0,
            IsErrorFrame = (flags & 4) != 0,
            IsFd = (flags & 8) != 0,
            BitrateSwitch = (flags & 16) != 0,
            ErrorStateIndicator = (flags & 32) != 0,
            Dlc = (flags & 64) != 0 ? dlc : data.Length,
            Channel = channel,
            Timestamp = timestamp,
        };

    private static Gen<T> Edges<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    [Fact]
    public void Encode_ChannelNoneOrNumber_SameBytesAsMessagePackWriter()
    {
        // CsCheck samples on several threads: each sample gets its own buffers.
        Frames.Sample(frame =>
        {
            var fast = new byte[WireCodec.MaxDatagramSize];
            var general = new byte[WireCodec.MaxDatagramSize];
            var fastLength = WireCodec.Encode(frame, fast);
            var generalLength = WireCodec.EncodeWithWriter(frame, general);
            return fast.AsSpan(0, fastLength).SequenceEqual(general.AsSpan(0, generalLength));
        }, iter: 200_000);
    }

    [Fact]
    public void Encode_AtAnOffsetIntoASmallBuffer_FallsBackAndStillWritesTheSameBytes()
    {
        var frame = new CanMessage(0x1ABCDEF0, Enumerable.Range(0, 64).Select(i => (byte)i).ToArray(), isExtendedId: true) { IsFd = true, Channel = new CanChannel(-70_000) };
        var reference = new byte[WireCodec.MaxDatagramSize];
        var expected = reference.AsSpan(0, WireCodec.EncodeWithWriter(frame, reference)).ToArray();
        var tight = new byte[10 + expected.Length];

        var length = WireCodec.Encode(frame, tight, 10);

        tight.AsSpan(10, length).ToArray().Should().Equal(expected, "a buffer too small for the fast path's worst case takes the writer path");
    }
}
