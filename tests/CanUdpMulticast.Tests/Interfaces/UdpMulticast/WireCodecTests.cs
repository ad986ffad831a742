using System.Buffers;
using System.Text.Json;
using CanUdpMulticast.Interfaces.UdpMulticast;
using CanUdpMulticast.Wire;
using CsCheck;
using MessagePack;

namespace CanUdpMulticast.Tests.Interfaces.UdpMulticast;

public sealed class WireCodecTests
{
    public static TheoryData<string> VectorNames => [.. GoldenVectors.All.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Encode_GoldenVector_ProducesPythonCanBytes(string name)
    {
        var vector = GoldenVectors.Get(name);
        var buffer = new byte[WireCodec.MaxDatagramSize];

        var length = WireCodec.Encode(vector.Message, buffer);

        Convert.ToHexStringLower(buffer, 0, length).Should().Be(vector.Hex);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Decode_GoldenVector_GivesPythonCanMessage(string name)
    {
        var vector = GoldenVectors.Get(name);

        var reason = WireCodec.Decode(Convert.FromHexString(vector.Hex), out var message);

        reason.Should().Be(MalformedDatagramReason.None);
        message.Should().Be(vector.Message, "every field, the timestamp and the channel's type must survive");
        message.IsRx.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void DecodeWithReader_GoldenVector_AgreesWithTheFastPath(string name)
    {
        var vector = GoldenVectors.Get(name);

        var reason = WireCodec.DecodeWithReader(Convert.FromHexString(vector.Hex), out var message);

        reason.Should().Be(MalformedDatagramReason.None);
        message.Should().Be(vector.Message);
    }

    [Fact]
    public void Decode_MutatedDatagrams_FastPathAndReaderPathAgree()
    {
        var seeds = GoldenVectors.All.Select(v => Convert.FromHexString(v.Hex)).ToArray();
        Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int[0, 250], Gen.Byte).Sample((seed, position, value) =>
        {
            var datagram = (byte[])seeds[seed].Clone();
            datagram[position % datagram.Length] = value;
            var fast = WireCodec.Decode(datagram, out var fastMessage);
            var general = WireCodec.DecodeWithReader(datagram, out var generalMessage);
            fast.Should().Be(general);
            if (fast == MalformedDatagramReason.None)
            {
                fastMessage.Should().Be(generalMessage);
            }
        }, iter: 50_000);
    }

    [Fact]
    public void Decode_MissingKeys_TakesPythonCanDefaults()
    {
        var datagram = Pack(w =>
        {
            w.WriteMapHeader(1);
            w.Write("data");
            w.Write(new byte[] { 1, 2 });
        });

        WireCodec.Decode(datagram, out var message).Should().Be(MalformedDatagramReason.None);

        message.IsExtendedId.Should().BeTrue("python-can's Message defaults to an extended id");
        message.ArbitrationId.Should().Be(0);
        message.Dlc.Should().Be(2, "dlc defaults to the data length");
        message.Channel.IsNone.Should().BeTrue();
        message.IsRemoteFrame.Should().BeFalse();
    }

    [Fact]
    public void Decode_EmptyMap_IsAnEmptyExtendedFrame()
    {
        WireCodec.Decode(new byte[] { 0x80 }, out var message).Should().Be(MalformedDatagramReason.None);
        message.Should().Be(new CanMessage { IsExtendedId = true });
    }

    [Fact]
    public void Decode_KeysInAnyOrderWithIsRxAndIntegerFlags_IsAccepted()
    {
        var datagram = Pack(w =>
        {
            w.WriteMapHeader(5);
            w.Write("is_rx");
            w.Write(false);
            w.Write("is_extended_id");
            w.Write(0);
            w.Write("data");
            w.WriteArrayHeader(3);
            w.Write(1);
            w.Write(2);
            w.Write(255);
            w.Write("arbitration_id");
            w.Write(0x7FF);
            w.Write("is_fd");
            w.WriteNil();
        });

        WireCodec.Decode(datagram, out var message).Should().Be(MalformedDatagramReason.None);

        message.Should().Be(new CanMessage(0x7FF, [1, 2, 255]));
        message.IsRx.Should().BeTrue("a received frame is Rx whatever the sender put in is_rx");
    }

    [Fact]
    public void Decode_DataAsString_IsRejectedLikePythonBytearray()
    {
        // python-can 4.1.0: bytearray("abc") raises TypeError (string argument without an encoding).
        var datagram = Pack(w =>
        {
            w.WriteMapHeader(2);
            w.Write("is_extended_id");
            w.Write(false);
            w.Write("data");
            w.Write("abc");
        });

        WireCodec.Decode(datagram, out _).Should().Be(MalformedDatagramReason.WrongValueType);
    }

    [Fact]
    public void Decode_TimestampUInt64AtLeast2Pow63_IsAcceptedAndKept()
    {
        var datagram = Pack(w =>
        {
            w.WriteMapHeader(1);
            w.Write("timestamp");
            w.Write(ulong.MaxValue);
        });

        WireCodec.Decode(datagram, out var message).Should().Be(MalformedDatagramReason.None);
        message.Timestamp.Should().Be(ulong.MaxValue);
    }

    [Fact]
    public void Decode_ChannelUInt64AtLeast2Pow63_IsAcceptedAsItsDecimalName()
    {
        var datagram = Pack(w =>
        {
            w.WriteMapHeader(1);
            w.Write("channel");
            w.Write(9_223_372_036_854_775_808UL);
        });

        WireCodec.Decode(datagram, out var message).Should().Be(MalformedDatagramReason.None);
        message.Channel.Should().Be(new CanChannel("9223372036854775808"));
    }

    [Fact]
    public void Decode_DuplicateKeys_LastValueWinsLikePythonDict()
    {
        var datagram = Pack(w =>
        {
            w.WriteMapHeader(5);
            w.Write("is_extended_id");
            w.Write(false);
            w.Write("arbitration_id");
            w.Write(0x800);
            w.Write("data");
            w.Write(new byte[] { 1, 2, 3 });
            w.Write("arbitration_id");
            w.Write(0x123);
            w.Write("data");
            w.Write(new byte[] { 9 });
        });

        WireCodec.Decode(datagram, out var message).Should().Be(MalformedDatagramReason.None);
        message.Should().Be(new CanMessage(0x123, [9], isExtendedId: false));
    }

    [Fact]
    public void Decode_FlagAsString_IsJudgedByPythonTruthiness()
    {
        var datagram = Pack(w =>
        {
            w.WriteMapHeader(2);
            w.Write("is_fd");
            w.Write("yes");
            w.Write("is_error_frame");
            w.Write(string.Empty);
        });

        WireCodec.Decode(datagram, out var message).Should().Be(MalformedDatagramReason.None);
        message.IsFd.Should().BeTrue();
        message.IsErrorFrame.Should().BeFalse();
    }

    [Fact]
    public void Decode_RemoteFrameWithUnusableData_IgnoresTheDataLikePythonCan()
    {
        var datagram = Pack(w =>
        {
            w.WriteMapHeader(2);
            w.Write("data");
            w.Write("abc");
            w.Write("is_remote_frame");
            w.Write(true);
        });

        WireCodec.Decode(datagram, out var message).Should().Be(MalformedDatagramReason.None);
        message.IsRemoteFrame.Should().BeTrue();
        message.DataLength.Should().Be(0);
    }

    [Fact]
    public void Decode_DataAsInteger_IsThatManyZeroBytesLikePythonBytearray()
    {
        var datagram = Pack(w =>
        {
            w.WriteMapHeader(1);
            w.Write("data");
            w.Write(3);
        });

        WireCodec.Decode(datagram, out var message).Should().Be(MalformedDatagramReason.None);
        message.Data.ToArray().Should().Equal(0, 0, 0);
    }

    [Fact]
    public void Decode_RemoteFrameWithData_DropsTheDataLikePythonCan()
    {
        var datagram = Pack(w =>
        {
            w.WriteMapHeader(3);
            w.Write("is_remote_frame");
            w.Write(true);
            w.Write("dlc");
            w.Write(4);
            w.Write("data");
            w.Write(new byte[] { 1, 2, 3, 4 });
        });

        WireCodec.Decode(datagram, out var message).Should().Be(MalformedDatagramReason.None);
        message.IsRemoteFrame.Should().BeTrue();
        message.Dlc.Should().Be(4);
        message.DataLength.Should().Be(0);
    }

    [Fact]
    public void Decode_NegativeSenderTimestamp_IsNotValidatedBecauseReceiversRestamp()
    {
        var datagram = Pack(w =>
        {
            w.WriteMapHeader(1);
            w.Write("timestamp");
            w.Write(-5.0);
        });

        WireCodec.Decode(datagram, out var message).Should().Be(MalformedDatagramReason.None);
        message.Timestamp.Should().Be(-5.0);
    }

    public static TheoryData<string, byte[], MalformedDatagramReason> HostileDatagrams() => new()
    {
        { "empty", [], MalformedDatagramReason.Truncated },
        { "never-used code", [0xC1], MalformedDatagramReason.NotMessagePack },
        { "not msgpack text", "hello, world"u8.ToArray(), MalformedDatagramReason.NotAMap },
        { "array", Pack(w => { w.WriteArrayHeader(1); w.Write(1); }), MalformedDatagramReason.NotAMap },
        { "integer", Pack(w => w.Write(42)), MalformedDatagramReason.NotAMap },
        { "truncated map", Convert.FromHexString(GoldenVectors.All[0].Hex)[..40], MalformedDatagramReason.Truncated },
        { "map header only", [0x8B], MalformedDatagramReason.Truncated },
        { "trailing bytes", [.. Convert.FromHexString(GoldenVectors.All[0].Hex), 0x00], MalformedDatagramReason.TrailingBytes },
        { "bin key", Pack(w => { w.WriteMapHeader(1); w.Write("dlc"u8.ToArray()); w.Write(1); }), MalformedDatagramReason.NonStringKey },
        { "integer key", Pack(w => { w.WriteMapHeader(1); w.Write(7); w.Write(1); }), MalformedDatagramReason.NonStringKey },
        { "unknown key", Pack(w => { w.WriteMapHeader(1); w.Write("priority"); w.Write(1); }), MalformedDatagramReason.UnknownKey },
        { "duplicate key, last invalid", Pack(w => { w.WriteMapHeader(2); w.Write("dlc"); w.Write(0); w.Write("dlc"); w.Write(9); }), MalformedDatagramReason.InvalidFrame },
        { "id as string", Pack(w => { w.WriteMapHeader(1); w.Write("arbitration_id"); w.Write("291"); }), MalformedDatagramReason.WrongValueType },
        { "data as string", Pack(w => { w.WriteMapHeader(1); w.Write("data"); w.Write("abc"); }), MalformedDatagramReason.WrongValueType },
        { "timestamp nested too deep", Pack(w => { w.WriteMapHeader(1); w.Write("timestamp"); for (var i = 0; i < 1024; i++) { w.WriteArrayHeader(1); } w.Write(1); }), MalformedDatagramReason.TooDeep },
        { "channel as float", Pack(w => { w.WriteMapHeader(1); w.Write("channel"); w.Write(1.5); }), MalformedDatagramReason.WrongValueType },
        { "data byte 256", Pack(w => { w.WriteMapHeader(1); w.Write("data"); w.WriteArrayHeader(1); w.Write(256); }), MalformedDatagramReason.WrongValueType },
        { "nested id", Pack(w => { w.WriteMapHeader(1); w.Write("arbitration_id"); w.WriteArrayHeader(1); w.WriteArrayHeader(1); w.Write(1); }), MalformedDatagramReason.TooDeep },
        { "deeply nested data", Pack(w => { w.WriteMapHeader(1); w.Write("data"); for (var i = 0; i < 500; i++) { w.WriteArrayHeader(1); } w.Write(1); }), MalformedDatagramReason.TooDeep },
        { "std id 0x800", Pack(w => { w.WriteMapHeader(2); w.Write("is_extended_id"); w.Write(false); w.Write("arbitration_id"); w.Write(0x800); }), MalformedDatagramReason.InvalidFrame },
        { "negative id", Pack(w => { w.WriteMapHeader(1); w.Write("arbitration_id"); w.Write(-1); }), MalformedDatagramReason.InvalidFrame },
        { "classic 9 bytes", Pack(w => { w.WriteMapHeader(1); w.Write("data"); w.Write(new byte[9]); }), MalformedDatagramReason.InvalidFrame },
        { "dlc mismatch", Pack(w => { w.WriteMapHeader(2); w.Write("dlc"); w.Write(3); w.Write("data"); w.Write(new byte[2]); }), MalformedDatagramReason.InvalidFrame },
        { "brs without fd", Pack(w => { w.WriteMapHeader(1); w.Write("bitrate_switch"); w.Write(true); }), MalformedDatagramReason.InvalidFrame },
        { "remote and fd", Pack(w => { w.WriteMapHeader(2); w.Write("is_remote_frame"); w.Write(true); w.Write("is_fd"); w.Write(true); }), MalformedDatagramReason.InvalidFrame },
        { "65 bytes", Pack(w => { w.WriteMapHeader(2); w.Write("is_fd"); w.Write(true); w.Write("data"); w.Write(new byte[65]); }), MalformedDatagramReason.InvalidFrame },
        { "oversized", new byte[WireCodec.MaxDatagramSize + 1], MalformedDatagramReason.Oversized },
        { "invalid utf-8 channel", [0x81, 0xA7, .. "channel"u8, 0xA2, 0xFF, 0xFE], MalformedDatagramReason.NotMessagePack },
        { "huge map count", [0xDF, 0xFF, 0xFF, 0xFF, 0xFF], MalformedDatagramReason.Truncated },
    };

    [Theory]
    [MemberData(nameof(HostileDatagrams))]
    public void Decode_HostileDatagram_ReportsWhyWithoutThrowing(string description, byte[] datagram, MalformedDatagramReason expected)
    {
        var reason = WireCodec.Decode(datagram, out _);

        reason.Should().Be(expected, description);
    }

    [Fact]
    public void Decode_RandomBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            _ = WireCodec.Decode(bytes, out _);
        }, iter: 20_000);
    }

    [Fact]
    public void Decode_MutatedGoldenVectors_NeverThrowsAndValidResultsAreValidFrames()
    {
        var seeds = GoldenVectors.All.Select(v => Convert.FromHexString(v.Hex)).ToArray();
        Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int[0, 250], Gen.Byte).Sample((seed, position, value) =>
        {
            var datagram = (byte[])seeds[seed].Clone();
            datagram[position % datagram.Length] = value;
            if (WireCodec.Decode(datagram, out var message) == MalformedDatagramReason.None)
            {
                (message with { Timestamp = 0 }).IsValid.Should().BeTrue();
            }
        }, iter: 20_000);
    }

    [Fact]
    public void EncodeThenDecode_RandomValidFrames_RoundTripExactly()
    {
        CanMessageGen.Valid.Sample(message =>
        {
            var buffer = new byte[WireCodec.MaxDatagramSize];
            var length = WireCodec.Encode(message, buffer);
            WireCodec.Decode(buffer.AsMemory(0, length), out var decoded).Should().Be(MalformedDatagramReason.None);
            decoded.Should().Be(message);
        }, iter: 5_000);
    }

    [Fact]
    public void Encode_ChannelNameTooLongForADatagram_ThrowsArgumentException()
    {
        var message = new CanMessage(1, [1]) { Channel = new string('x', 5000) };

        var encode = () => WireCodec.Encode(message, new byte[8192]);

        encode.Should().Throw<ArgumentException>().WithMessage("*4096*");
    }

    [Fact]
    public void EncodeAndDecode_SteadyState_AllocateNothing()
    {
        var message = new CanMessage(0x123, [1, 2, 3, 4, 5, 6, 7, 8]) { Channel = "vcan0", Timestamp = 1.5 };
        var buffer = new byte[WireCodec.MaxDatagramSize];
        var length = WireCodec.Encode(message, buffer);
        var datagram = buffer.AsMemory(0, length);
        WireCodec.Decode(datagram, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            WireCodec.Encode(message, buffer);
            WireCodec.Decode(datagram, out _);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private static byte[] Pack(Action<WriterAdapter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        var adapter = new WriterAdapter(output);
        write(adapter);
        adapter.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>MessagePackWriter is a ref struct and cannot be captured by a lambda; this records calls instead.</summary>
    private sealed class WriterAdapter(IBufferWriter<byte> output)
    {
        private readonly List<Action<IBufferWriter<byte>>> _ops = [];

        public void WriteMapHeader(int count) => Add(w => Do(w, (ref MessagePackWriter x) => x.WriteMapHeader(count)));

        public void WriteArrayHeader(int count) => Add(w => Do(w, (ref MessagePackWriter x) => x.WriteArrayHeader(count)));

        public void Write(string value) => Add(w => Do(w, (ref MessagePackWriter x) => x.Write(value)));

        public void Write(byte[] value) => Add(w => Do(w, (ref MessagePackWriter x) => x.Write(value)));

        public void Write(long value) => Add(w => Do(w, (ref MessagePackWriter x) => x.Write(value)));

        public void Write(ulong value) => Add(w => Do(w, (ref MessagePackWriter x) => x.Write(value)));

        public void Write(double value) => Add(w => Do(w, (ref MessagePackWriter x) => x.Write(value)));

        public void Write(bool value) => Add(w => Do(w, (ref MessagePackWriter x) => x.Write(value)));

        public void WriteNil() => Add(w => Do(w, (ref MessagePackWriter x) => x.WriteNil()));

        public void Flush()
        {
            foreach (var op in _ops)
            {
                op(output);
            }
        }

        private void Add(Action<IBufferWriter<byte>> op) => _ops.Add(op);

        private delegate void WriterAction(ref MessagePackWriter writer);

        private static void Do(IBufferWriter<byte> output, WriterAction action)
        {
            var writer = new MessagePackWriter(output);
            action(ref writer);
            writer.Flush();
        }
    }
}
