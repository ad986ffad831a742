using CanUdpMulticast.IO;
using CanUdpMulticast.Tests.Core;
using CsCheck;

namespace CanUdpMulticast.Tests.IO;

/// <summary>can-utils' compact frame syntax (cansend arguments, candump -L lines): parse, format, round trip.</summary>
public sealed class CanFrameTextTests
{
    [Fact]
    public void Parse_StandardData_ThreeDigitId()
    {
        var message = CanFrameText.Parse("123#DEADBEEF");
        message.ArbitrationId.Should().Be(0x123);
        message.IsExtendedId.Should().BeFalse();
        message.ToArray().Should().Equal(0xDE, 0xAD, 0xBE, 0xEF);
        message.Should().Be(new CanMessage { ArbitrationId = 0x123, Data = [0xDE, 0xAD, 0xBE, 0xEF] }, "timestamp 0, no channel, received");
    }

    [Fact]
    public void Parse_ExtendedData_EightDigitId()
    {
        var message = CanFrameText.Parse("12345678#00");
        message.ArbitrationId.Should().Be(0x12345678);
        message.IsExtendedId.Should().BeTrue();
        message.ToArray().Should().Equal(0x00);
    }

    [Fact]
    public void Parse_EightDigitSmallId_IsStillExtended() =>
        CanFrameText.Parse("00000123#11").Should().Be(new CanMessage { ArbitrationId = 0x123, IsExtendedId = true, Data = [0x11] });

    [Fact]
    public void Parse_LowerCaseHex_Accepted() =>
        CanFrameText.Parse("7ff#deadbeef").Should().Be(new CanMessage { ArbitrationId = 0x7FF, Data = [0xDE, 0xAD, 0xBE, 0xEF] });

    [Theory]
    [InlineData("123#R", 0)]
    [InlineData("123#R0", 0)]
    [InlineData("123#R4", 4)]
    [InlineData("123#r8", 8)]
    public void Parse_Remote_OptionalDlcDigit(string text, int dlc)
    {
        var message = CanFrameText.Parse(text);
        message.IsRemoteFrame.Should().BeTrue();
        message.Dlc.Should().Be(dlc);
        message.DataLength.Should().Be(0);
        message.ArbitrationId.Should().Be(0x123);
        message.IsValid.Should().BeTrue();
    }

    [Fact]
    public void Parse_ExtendedRemote_Remote() =>
        CanFrameText.Parse("1FFFFFFF#R2").Should().Be(new CanMessage { ArbitrationId = 0x1FFF_FFFF, IsExtendedId = true, IsRemoteFrame = true, Dlc = 2 });

    [Theory]
    [InlineData("123##1112233", true, false, new byte[] { 0x11, 0x22, 0x33 })]
    [InlineData("123##0", false, false, new byte[0])]
    [InlineData("123##2AA", false, true, new byte[] { 0xAA })]
    [InlineData("123##3AA.BB", true, true, new byte[] { 0xAA, 0xBB })]
    [InlineData("123##c00", false, false, new byte[] { 0x00 })] // flag bits other than BRS and ESI are ignored
    [InlineData("123##F00", true, true, new byte[] { 0x00 })]
    public void Parse_Fd_FlagsNibbleThenData(string text, bool brs, bool esi, byte[] data)
    {
        var message = CanFrameText.Parse(text);
        message.IsFd.Should().BeTrue();
        message.BitrateSwitch.Should().Be(brs);
        message.ErrorStateIndicator.Should().Be(esi);
        message.ToArray().Should().Equal(data);
        message.IsValid.Should().BeTrue();
    }

    [Fact]
    public void Parse_Fd64Bytes_Accepted()
    {
        var data = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var message = CanFrameText.Parse("12345678##1" + Convert.ToHexString(data));
        message.ToArray().Should().Equal(data);
        message.IsExtendedId.Should().BeTrue();
    }

    [Theory]
    [InlineData("123#DE.AD.BE.EF")]
    [InlineData("123#DEAD.BEEF")]
    [InlineData("123#.DE.AD.BE.EF.")]
    public void Parse_DottedData_DotsIgnored(string text) =>
        CanFrameText.Parse(text).ToArray().Should().Equal(0xDE, 0xAD, 0xBE, 0xEF);

    [Theory]
    [InlineData("123#")]
    [InlineData("123#.")]
    public void Parse_NoData_EmptyDataFrame(string text)
    {
        var message = CanFrameText.Parse(text);
        message.IsRemoteFrame.Should().BeFalse();
        message.Dlc.Should().Be(0);
        message.IsValid.Should().BeTrue();
    }

    [Fact]
    public void Parse_ErrorFlagInEightDigitId_ErrorFrame()
    {
        var message = CanFrameText.Parse("20000080#0000000000000000");
        message.IsErrorFrame.Should().BeTrue();
        message.ArbitrationId.Should().Be(0x80, "CAN_ERR_FLAG is not part of the id");
        message.IsExtendedId.Should().BeTrue("an 8-digit id reads as extended (can-utils would clear CAN_EFF_FLAG here)");
        message.ToArray().Should().Equal(new byte[8]);
        message.IsValid.Should().BeTrue();
    }

    public static TheoryData<string, string> Errors => new()
    {
        { string.Empty, "no '#' between the id and the data" },
        { "123DEADBEEF", "'123DEADBEEF' has no '#'" },
        { "12#00", "the id '12' must be 3 hex digits (standard) or 8 hex digits (extended)" },
        { "1234#00", "the id '1234' must be 3 hex digits" },
        { "123456789#00", "the id '123456789' must be 3 hex digits" },
        { "#00", "the id '' must be 3 hex digits" },
        { "12G#00", "the id '12G' must be 3 hex digits" },
        { "0x1#00", "the id '0x1' must be 3 hex digits" },
        { "800#00", "the id '800' is too large: a standard id is at most 7FF" },
        { "40000000#00", "the id '40000000' is too large" },
        { "E0000000#00", "the id 'E0000000' is too large" },
        { "123#R9", "the remote frame part 'R9' must be R or R followed by one DLC digit 0..8" },
        { "123#RX", "the remote frame part 'RX'" },
        { "123#R12", "the remote frame part 'R12'" },
        { "123##", "a CAN FD frame needs one hex flags digit after '##'" },
        { "123##G11", "a CAN FD frame needs one hex flags digit after '##' (BRS = 1, ESI = 2), e.g. 123##1112233; got '#G11'" },
        { "123#ABC", "the data 'ABC' must be pairs of hex digits, optionally separated by '.', e.g. 123#DE.AD.BE.EF; the problem is at 'C'" },
        { "123#GG", "the data 'GG' must be pairs of hex digits" },
        { "123#A.B", "the problem is at 'A.B'" },
        { "123#11 22", "the problem is at ' 22'" },
        { "123#010203040506070809", "the data '010203040506070809' has more than 8 bytes, the most a classic CAN frame carries" },
        { "123##0" + new string('A', 130), "has more than 64 bytes, the most a CAN FD frame carries" },
        { "20000123#R", "an error frame cannot be a remote frame" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Parse_Invalid_FormatExceptionNamingThePart(string text, string expected)
    {
        CanFrameText.TryParse(text, out var message, out var error).Should().BeFalse();
        message.Should().Be(default(CanMessage));
        error.Should().Contain(expected);
        FluentActions.Invoking(() => CanFrameText.Parse(text)).Should().Throw<FormatException>().Which.Message.Should().Be(error);
    }

    [Fact]
    public void Parse_Null_Throws() => FluentActions.Invoking(() => CanFrameText.Parse(null!)).Should().Throw<ArgumentNullException>();

    [Fact]
    public void TryParse_Valid_EmptyError()
    {
        CanFrameText.TryParse("123#00", out _, out var error).Should().BeTrue();
        error.Should().BeEmpty();
    }

    [Fact]
    public void TryParse_AnyText_NeverThrows()
    {
        var frameish = Gen.String[Gen.Char["0123456789ABCDEFabcdefRrG#. x"], 0, 40];
        Gen.OneOf(Gen.String, frameish).Sample(text =>
        {
            if (CanFrameText.TryParse(text, out var message, out var error))
            {
                error.Should().BeEmpty();
                message.IsValid.Should().BeTrue($"'{text}' parsed to {message}");
            }
            else
            {
                error.Should().NotBeNullOrEmpty();
            }
        });
    }

    public static TheoryData<CanMessage, string> Golden => new()
    {
        { new CanMessage { ArbitrationId = 0x123, Data = [0xDE, 0xAD, 0xBE, 0xEF] }, "123#DEADBEEF" },
        { new CanMessage { ArbitrationId = 0x5 }, "005#" },
        { new CanMessage { ArbitrationId = 0x12345678, IsExtendedId = true, Data = [0] }, "12345678#00" },
        { new CanMessage { ArbitrationId = 0x123, IsExtendedId = true }, "00000123#" },
        { new CanMessage { ArbitrationId = 0x123, IsRemoteFrame = true }, "123#R" },
        { new CanMessage { ArbitrationId = 0x123, IsRemoteFrame = true, Dlc = 4 }, "123#R4" },
        { new CanMessage { ArbitrationId = 0x123, IsFd = true, BitrateSwitch = true, Data = [0x11, 0x22, 0x33] }, "123##1112233" },
        { new CanMessage { ArbitrationId = 0x123, IsFd = true }, "123##0" },
        { new CanMessage { ArbitrationId = 0x123, IsFd = true, ErrorStateIndicator = true, Data = [0xAB] }, "123##2AB" },
        { new CanMessage { ArbitrationId = 0x1ABCDEF, IsExtendedId = true, IsFd = true, BitrateSwitch = true, ErrorStateIndicator = true }, "01ABCDEF##3" },
        { new CanMessage { ArbitrationId = 0x80, IsErrorFrame = true, Data = new byte[8] }, "20000080#0000000000000000" },
        { new CanMessage { ArbitrationId = 0x4, IsExtendedId = true, IsErrorFrame = true }, "20000004#" },
        { new CanMessage { ArbitrationId = 0x7FF, Data = [0x0A, 0xB0, 0xFF] }, "7FF#0AB0FF" },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void Format_Golden_CandumpSyntax(CanMessage message, string expected) => CanFrameText.Format(message).Should().Be(expected);

    [Fact]
    public void Format_Span_WritesTheSameWithoutAllocating()
    {
        var message = new CanMessage { ArbitrationId = 0x1ABCDEF, IsExtendedId = true, IsFd = true, Data = new byte[64] };
        Span<char> buffer = stackalloc char[CanFrameText.MaxFormattedLength];
        var written = CanFrameText.Format(message, buffer);
        new string(buffer[..written]).Should().Be(CanFrameText.Format(message));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            written = CanFrameText.Format(message, buffer);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
    }

    [Fact]
    public void MaxFormattedLength_IsTheLongestFrame()
    {
        var longest = new CanMessage { ArbitrationId = 0x1FFF_FFFF, IsExtendedId = true, IsFd = true, BitrateSwitch = true, Data = new byte[64] };
        CanFrameText.Format(longest).Length.Should().Be(CanFrameText.MaxFormattedLength);
    }

    [Fact]
    public void FormatThenParse_AnyValidFrame_SameFrame() =>
        CanGen.ValidMessage.Sample(generated =>
        {
            // The syntax carries no timestamp, channel or direction; an error frame always uses the 8-digit form.
            var message = generated with
            {
                Timestamp = 0,
                Channel = CanChannel.None,
                IsRx = true,
                IsExtendedId = generated.IsExtendedId || generated.IsErrorFrame,
            };
            var text = CanFrameText.Format(message);
            CanFrameText.Parse(text).Should().Be(message, text);
        });

    [Fact]
    public void ParseThenFormat_CanonicalText_SameText() =>
        Gen.Select(Gen.UInt[0, 0x7FF], Gen.Byte.Array[0, 8]).Sample((id, data) =>
        {
            var text = $"{id:X3}#{Convert.ToHexString(data)}";
            CanFrameText.Format(CanFrameText.Parse(text)).Should().Be(text);
        });
}
