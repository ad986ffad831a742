using System.Globalization;
using System.Text.Json;
using CsCheck;

namespace CanUdpMulticast.Tests.Core;

/// <summary>
/// <see cref="CanMessage.ToString"/> against python-can's <c>str(msg)</c>. We follow python-can HEAD (the layout in
/// shared/reference/python-can.md section 3.5). Debian's python3-can 4.1.0 formats standard ids differently
/// (<c>"ID: %04x"</c> right-justified to 12, e.g. <c>"    ID: 0123"</c>, where HEAD prints <c>"ID:      123"</c>), so
/// only the extended-id cases are compared with output of the real python-can 4.1.0; standard-id cases use
/// HEAD's documented strings.
/// </summary>
public sealed class CanMessageToStringTests
{
    [Fact]
    public void ToString_PythonCanHeadExample1_StandardDataFrame() =>
        new CanMessage { ArbitrationId = 0x123, Data = [1, 2, 3] }.ToString()
            .Should().Be("Timestamp:        0.000000    ID:      123    S Rx                DL:  3    01 02 03");

    [Fact]
    public void ToString_PythonCanHeadExample2_ExtendedFdTxWithAsciiAndChannel() =>
        new CanMessage
        {
            Timestamp = 1.5, ArbitrationId = 0x1234567, IsExtendedId = true, IsRx = false, Channel = "vcan0",
            Data = "abc"u8, IsFd = true, BitrateSwitch = true,
        }.ToString()
            .Should().Be("Timestamp:        1.500000    ID: 01234567    X Tx     F BS       DL:  3    61 62 63                    'abc'    Channel: vcan0");

    [Fact]
    public void ToString_PythonCanHeadExample3_RemoteFrame() =>
        new CanMessage { Timestamp = 1700000000.123456, ArbitrationId = 0x7FF, IsRemoteFrame = true, Dlc = 4 }.ToString()
            .Should().Be("Timestamp: 1700000000.123456    ID:      7ff    S Rx   R            DL:  4");

    [Fact]
    public void ToString_PythonCanHeadExample4_ErrorFrameWithNumberChannel() =>
        new CanMessage { ArbitrationId = 4, IsExtendedId = true, IsErrorFrame = true, Data = new byte[8], Channel = 0 }.ToString()
            .Should().Be("Timestamp:        0.000000    ID: 00000004    X Rx E              DL:  8    00 00 00 00 00 00 00 00     Channel: 0");

    // Standard ids by python-can HEAD's rule: 3 lowercase hex digits right-aligned in 8 columns.
    [Theory]
    [InlineData(0x0u, "Timestamp:        0.000000    ID:      000    S Rx                DL:  0")]
    [InlineData(0x5u, "Timestamp:        0.000000    ID:      005    S Rx                DL:  0")]
    [InlineData(0x7ABu, "Timestamp:        0.000000    ID:      7ab    S Rx                DL:  0")]
    [InlineData(0x1234u, "Timestamp:        0.000000    ID:     1234    S Rx                DL:  0")]
    public void ToString_StandardId_ThreeHexDigitsRightAligned(uint id, string expected) =>
        new CanMessage { ArbitrationId = id }.ToString().Should().Be(expected);

    [Fact]
    public void ToString_StandardAllFlagsAndFdData_MatchesHeadLayout() =>
        new CanMessage
        {
            Timestamp = 12.3456789, ArbitrationId = 0x10, IsFd = true, BitrateSwitch = true, ErrorStateIndicator = true,
            IsErrorFrame = true, Data = [0xDE, 0xAD, 0xBE, 0xEF, 0, 1, 2, 3, 4, 5, 6, 7], Channel = "can1",
        }.ToString()
            .Should().Be("Timestamp:       12.345679    ID:      010    S Rx E   F BS EI    DL: 12    de ad be ef 00 01 02 03 04 05 06 07    Channel: can1");

    [Fact]
    public void ToString_RandomExtendedIdMessages_SameAsRealPythonCan()
    {
        // Golden file written by the real python-can 4.1.0 (TestData/make_python_can_str_golden.py): timestamps
        // with rounding ties, NaN/inf, negative values, 0..64 bytes, explicit DLCs, int and str channels.
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Core", "TestData", "python-can-str-golden.jsonl"));
        lines.Should().HaveCountGreaterThan(300);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var channel = root.GetProperty("channelName").ValueKind == JsonValueKind.String
                ? new CanChannel(root.GetProperty("channelName").GetString())
                : root.GetProperty("channelNumber").ValueKind == JsonValueKind.Number
                    ? new CanChannel(root.GetProperty("channelNumber").GetInt64())
                    : CanChannel.None;
            var message = new CanMessage
            {
                Timestamp = BitConverter.Int64BitsToDouble(root.GetProperty("timestampBits").GetInt64()),
                ArbitrationId = root.GetProperty("id").GetUInt32(),
                IsExtendedId = true,
                IsRemoteFrame = root.GetProperty("remote").GetBoolean(),
                IsErrorFrame = root.GetProperty("error").GetBoolean(),
                IsFd = root.GetProperty("fd").GetBoolean(),
                IsRx = root.GetProperty("rx").GetBoolean(),
                BitrateSwitch = root.GetProperty("brs").GetBoolean(),
                ErrorStateIndicator = root.GetProperty("esi").GetBoolean(),
                Data = Convert.FromHexString(root.GetProperty("data").GetString()!),
                Dlc = root.GetProperty("dlc").GetInt32(),
                Channel = channel,
            };
            message.ToString().Should().Be(root.GetProperty("str").GetString(), line);
        }
    }

    [Theory]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(-0.0, "-0.000000")]
    [InlineData(-1.5, "-1.500000")]
    [InlineData(1e20, "100000000000000000000.000000")]
    [InlineData(5e-7, "0.000000")]
    [InlineData(5.000001e-7, "0.000001")]
    public void ToString_SpecialTimestamps_FormattedLikePython(double timestamp, string expected) =>
        // python: f"{ts:>15.6f}" (round-half-even on the exact binary value; nan/inf in lower case)
        new CanMessage { Timestamp = timestamp, ArbitrationId = 1, IsExtendedId = true }.ToString()
            .Should().StartWith("Timestamp: " + expected.PadLeft(15) + "    ID: 00000001");

    [Fact]
    public void ToString_DlcBelowDataLength_ShowsDlcBytesButAsciiOfAllData() =>
        // python: hex of data[:min(dlc, len)], but isalnum() on the whole data
        new CanMessage { ArbitrationId = 1, IsExtendedId = true, Data = "abcd"u8, Dlc = 2 }.ToString()
            .Should().Be("Timestamp:        0.000000    ID: 00000001    X Rx                DL:  2    61 62                       'abcd'");

    [Fact]
    public void ToString_NonAlphanumericData_NoAsciiColumn()
    {
        new CanMessage { Data = "ab c"u8 }.ToString().Should().NotContain("'");
        new CanMessage { Data = "ab\u00e9"u8 }.ToString().Should().NotContain("'", "python's bytearray.isalnum() is ASCII only");
        new CanMessage { Data = "AZaz09"u8 }.ToString().Should().EndWith("'AZaz09'");
    }

    [Fact]
    public void ToString_EmptyChannelName_TrailingSeparatorStripped() =>
        // python: "Channel: " + "" and then str.strip()
        new CanMessage { Channel = string.Empty }.ToString()
            .Should().Be("Timestamp:        0.000000    ID:      000    S Rx                DL:  0                                Channel:");

    [Fact]
    public void ToString_NegativeChannelNumber_Decimal() =>
        new CanMessage { Channel = -3 }.ToString().Should().EndWith("Channel: -3");

    [Fact]
    public void ToString_AnyCulture_UsesInvariantDigits()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            new CanMessage { Timestamp = 1234.5, Channel = 1000 }.ToString()
                .Should().Be("Timestamp:     1234.500000    ID:      000    S Rx                DL:  0                                Channel: 1000");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void ToString_AnyMessage_NeverThrowsAndHasNoTrailingWhitespace() =>
        CanGen.AnyMessage.Sample(message =>
        {
            var text = message.ToString();
            text.Should().StartWith("Timestamp: ");
            text.Should().Be(text.Trim());
            text.Should().Contain("DL: ");
        });
}
