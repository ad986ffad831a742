using System.Text.Json;

namespace CanUdpMulticast.Tests.Core;

/// <summary>python-can's <c>Message(check=True)</c> rules (can/message.py <c>_check</c>), one test per rule, then precedence.</summary>
public sealed class CanMessageValidationTests
{
    private static readonly CanMessage Valid = new() { ArbitrationId = 0x123, Data = [1, 2, 3] };

    [Fact]
    public void GetValidationError_DefaultMessage_IsValid()
    {
        default(CanMessage).GetValidationError().Should().Be(CanMessageError.None);
        default(CanMessage).IsValid.Should().BeTrue();
        Valid.IsValid.Should().BeTrue();
    }

    [Fact]
    public void GetValidationError_NegativeTimestamp_NegativeTimestamp() =>
        (Valid with { Timestamp = -0.001 }).GetValidationError().Should().Be(CanMessageError.NegativeTimestamp);

    [Fact]
    public void GetValidationError_NegativeZeroTimestamp_IsValid() =>
        // python: -0.0 < 0.0 is False
        (Valid with { Timestamp = -0.0 }).GetValidationError().Should().Be(CanMessageError.None);

    [Fact]
    public void GetValidationError_PositiveInfinityTimestamp_InfiniteTimestamp() =>
        (Valid with { Timestamp = double.PositiveInfinity }).GetValidationError().Should().Be(CanMessageError.InfiniteTimestamp);

    [Fact]
    public void GetValidationError_NegativeInfinityTimestamp_NegativeTimestampFirst() =>
        // python checks "< 0.0" before isinf, so -inf is reported as negative
        (Valid with { Timestamp = double.NegativeInfinity }).GetValidationError().Should().Be(CanMessageError.NegativeTimestamp);

    [Fact]
    public void GetValidationError_NaNTimestamp_NaNTimestamp() =>
        (Valid with { Timestamp = double.NaN }).GetValidationError().Should().Be(CanMessageError.NaNTimestamp);

    [Fact]
    public void GetValidationError_RemoteAndError_RemoteAndError() =>
        new CanMessage { IsRemoteFrame = true, IsErrorFrame = true }.GetValidationError().Should().Be(CanMessageError.RemoteAndError);

    [Fact]
    public void GetValidationError_RemoteAndFd_RemoteAndFd() =>
        new CanMessage { IsRemoteFrame = true, IsFd = true }.GetValidationError().Should().Be(CanMessageError.RemoteAndFd);

    [Fact]
    public void GetValidationError_ExtendedIdAt2Pow29_ExtendedIdTooLarge()
    {
        new CanMessage { ArbitrationId = 0x2000_0000, IsExtendedId = true }.GetValidationError().Should().Be(CanMessageError.ExtendedIdTooLarge);
        new CanMessage { ArbitrationId = uint.MaxValue, IsExtendedId = true }.GetValidationError().Should().Be(CanMessageError.ExtendedIdTooLarge);
        new CanMessage { ArbitrationId = 0x1FFF_FFFF, IsExtendedId = true }.GetValidationError().Should().Be(CanMessageError.None);
    }

    [Fact]
    public void GetValidationError_StandardIdAt2Pow11_StandardIdTooLarge()
    {
        new CanMessage { ArbitrationId = 0x800 }.GetValidationError().Should().Be(CanMessageError.StandardIdTooLarge);
        new CanMessage { ArbitrationId = 0x7FF }.GetValidationError().Should().Be(CanMessageError.None);
        new CanMessage { ArbitrationId = 0x800, IsExtendedId = true }.GetValidationError().Should().Be(CanMessageError.None);
    }

    [Fact]
    public void Dlc_NegativeOrAbove64_CannotBeRepresented()
    {
        // python's "id < 0", "dlc < 0" and "FD dlc > 64" rules cannot fire: ArbitrationId is unsigned, and
        // Dlc and Data refuse values outside 0..64 when they are set.
        var negative = () => new CanMessage { Dlc = -1 };
        var tooLarge = () => new CanMessage { IsFd = true, Dlc = 65 };
        negative.Should().Throw<ArgumentOutOfRangeException>();
        tooLarge.Should().Throw<ArgumentOutOfRangeException>();
        new CanMessage { IsFd = true, Data = new byte[64] }.GetValidationError().Should().Be(CanMessageError.None);
    }

    [Fact]
    public void GetValidationError_ClassicWithNineDataBytes_ClassicDlcTooLarge() =>
        new CanMessage { Data = new byte[9] }.GetValidationError().Should().Be(CanMessageError.ClassicDlcTooLarge);

    [Fact]
    public void GetValidationError_ClassicRemoteWithDlc9_ClassicDlcTooLarge() =>
        new CanMessage { IsRemoteFrame = true, Dlc = 9 }.GetValidationError().Should().Be(CanMessageError.ClassicDlcTooLarge);

    [Fact]
    public void GetValidationError_RemoteWithData_RemoteWithData() =>
        new CanMessage { IsRemoteFrame = true, Data = [1] }.GetValidationError().Should().Be(CanMessageError.RemoteWithData);

    [Fact]
    public void GetValidationError_RemoteWithDlcAndNoData_IsValid() =>
        new CanMessage { IsRemoteFrame = true, Dlc = 8 }.GetValidationError().Should().Be(CanMessageError.None);

    [Theory]
    [InlineData(2, 3)]
    [InlineData(2, 1)]
    [InlineData(0, 8)]
    public void GetValidationError_DlcNotDataLength_DlcMismatch(int length, int dlc) =>
        new CanMessage { Data = new byte[length], Dlc = dlc }.GetValidationError().Should().Be(CanMessageError.DlcMismatch);

    [Fact]
    public void GetValidationError_BitrateSwitchWithoutFd_BitrateSwitchWithoutFd() =>
        new CanMessage { BitrateSwitch = true }.GetValidationError().Should().Be(CanMessageError.BitrateSwitchWithoutFd);

    [Fact]
    public void GetValidationError_ErrorStateIndicatorWithoutFd_ErrorStateIndicatorWithoutFd() =>
        new CanMessage { ErrorStateIndicator = true }.GetValidationError().Should().Be(CanMessageError.ErrorStateIndicatorWithoutFd);

    [Fact]
    public void GetValidationError_FdWithBrsAndEsi_IsValid() =>
        new CanMessage { IsFd = true, BitrateSwitch = true, ErrorStateIndicator = true, Data = new byte[12] }.IsValid.Should().BeTrue();

    [Fact]
    public void GetValidationError_FdWithLengthThatIsNoDlcLength_IsValidAsInPythonCan() =>
        // python-can does not require 12/16/20/... for FD; neither do we
        new CanMessage { IsFd = true, Data = new byte[13] }.IsValid.Should().BeTrue();

    [Fact]
    public void GetValidationError_ErrorFrameWithData_IsValid() =>
        new CanMessage { IsErrorFrame = true, ArbitrationId = 4, Data = new byte[8] }.IsValid.Should().BeTrue();

    public static TheoryData<string, CanMessage, CanMessageError> TwoBrokenRules => new()
    {
        { "negative timestamp before remote+error", new CanMessage { Timestamp = -1, IsRemoteFrame = true, IsErrorFrame = true }, CanMessageError.NegativeTimestamp },
        { "infinite timestamp before id", new CanMessage { Timestamp = double.PositiveInfinity, ArbitrationId = 0x800 }, CanMessageError.InfiniteTimestamp },
        { "NaN timestamp before brs", new CanMessage { Timestamp = double.NaN, BitrateSwitch = true }, CanMessageError.NaNTimestamp },
        { "remote+error before remote+fd", new CanMessage { IsRemoteFrame = true, IsErrorFrame = true, IsFd = true }, CanMessageError.RemoteAndError },
        { "remote+fd before id", new CanMessage { IsRemoteFrame = true, IsFd = true, ArbitrationId = 0x800 }, CanMessageError.RemoteAndFd },
        { "std id before classic dlc", new CanMessage { ArbitrationId = 0x800, Data = new byte[9] }, CanMessageError.StandardIdTooLarge },
        { "ext id before dlc mismatch", new CanMessage { ArbitrationId = 0x2000_0000, IsExtendedId = true, Data = [1], Dlc = 2 }, CanMessageError.ExtendedIdTooLarge },
        { "classic dlc before remote with data", new CanMessage { IsRemoteFrame = true, Data = [1], Dlc = 9 }, CanMessageError.ClassicDlcTooLarge },
        { "classic dlc before dlc mismatch", new CanMessage { Data = new byte[9], Dlc = 10 }, CanMessageError.ClassicDlcTooLarge },
        { "remote with data before brs", new CanMessage { IsRemoteFrame = true, Data = [1], BitrateSwitch = true }, CanMessageError.RemoteWithData },
        { "dlc mismatch before esi", new CanMessage { Data = [1], Dlc = 2, ErrorStateIndicator = true }, CanMessageError.DlcMismatch },
        { "brs before esi", new CanMessage { BitrateSwitch = true, ErrorStateIndicator = true }, CanMessageError.BitrateSwitchWithoutFd },
    };

    [Theory]
    [MemberData(nameof(TwoBrokenRules))]
    public void GetValidationError_TwoRulesBroken_ReportsTheFirstInPythonOrder(string because, CanMessage message, CanMessageError expected) =>
        message.GetValidationError().Should().Be(expected, because);

    [Fact]
    public void GetValidationError_RandomMessages_SameRuleAsRealPythonCan()
    {
        // Golden file written by the real python-can 4.1.0 (TestData/make_python_can_check_golden.py).
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Core", "TestData", "python-can-check-golden.jsonl"));
        lines.Should().HaveCountGreaterThan(500);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var message = new CanMessage
            {
                Timestamp = BitConverter.Int64BitsToDouble(root.GetProperty("timestampBits").GetInt64()),
                ArbitrationId = root.GetProperty("id").GetUInt32(),
                IsExtendedId = root.GetProperty("extended").GetBoolean(),
                IsRemoteFrame = root.GetProperty("remote").GetBoolean(),
                IsErrorFrame = root.GetProperty("error").GetBoolean(),
                IsFd = root.GetProperty("fd").GetBoolean(),
                BitrateSwitch = root.GetProperty("brs").GetBoolean(),
                ErrorStateIndicator = root.GetProperty("esi").GetBoolean(),
                Data = Convert.FromHexString(root.GetProperty("data").GetString()!),
                Dlc = root.GetProperty("dlc").GetInt32(),
            };
            message.GetValidationError().Should().Be(FromPythonText(root.GetProperty("python").GetString()!), line);
        }
    }

    [Fact]
    public void Validate_InvalidMessage_ThrowsArgumentExceptionWithTheRule()
    {
        var act = () => new CanMessage { ArbitrationId = 0x800 }.Validate();
        act.Should().Throw<ArgumentException>().WithMessage("normal arbitration IDs must be less than 2^11");
    }

    [Fact]
    public void Validate_ValidMessage_DoesNotThrow() => Valid.Invoking(m => m.Validate()).Should().NotThrow();

    [Fact]
    public void Describe_EveryError_HasItsOwnSentence()
    {
        var errors = Enum.GetValues<CanMessageError>();
        var sentences = errors.Select(CanMessage.Describe).ToList();
        sentences.Should().OnlyHaveUniqueItems();
        for (var i = 0; i < errors.Length; i++)
        {
            sentences[i].Should().NotBe(errors[i].ToString(), "every rule has a written description");
        }
    }

    private static CanMessageError FromPythonText(string text) => text switch
    {
        "" => CanMessageError.None,
        _ when text.Contains("may not be negative", StringComparison.Ordinal) => CanMessageError.NegativeTimestamp,
        _ when text.Contains("may not be infinite", StringComparison.Ordinal) => CanMessageError.InfiniteTimestamp,
        _ when text.Contains("may not be NaN", StringComparison.Ordinal) => CanMessageError.NaNTimestamp,
        _ when text.Contains("remote and an error frame", StringComparison.Ordinal) => CanMessageError.RemoteAndError,
        _ when text.Contains("CAN FD does not support remote", StringComparison.Ordinal) => CanMessageError.RemoteAndFd,
        _ when text.Contains("Extended arbitration IDs", StringComparison.Ordinal) => CanMessageError.ExtendedIdTooLarge,
        _ when text.Contains("Normal arbitration IDs", StringComparison.Ordinal) => CanMessageError.StandardIdTooLarge,
        _ when text.Contains("for CAN FD frames", StringComparison.Ordinal) && text.StartsWith("DLC", StringComparison.Ordinal) => CanMessageError.FdDlcTooLarge,
        _ when text.Contains("for normal CAN frames", StringComparison.Ordinal) => CanMessageError.ClassicDlcTooLarge,
        _ when text.Contains("remote frames may not carry", StringComparison.Ordinal) => CanMessageError.RemoteWithData,
        _ when text.Contains("DLC and the length of the data", StringComparison.Ordinal) => CanMessageError.DlcMismatch,
        _ when text.Contains("bitrate switch", StringComparison.Ordinal) => CanMessageError.BitrateSwitchWithoutFd,
        _ when text.Contains("error state indicator", StringComparison.Ordinal) => CanMessageError.ErrorStateIndicatorWithoutFd,
        _ => throw new InvalidOperationException("Unknown python-can message: " + text),
    };
}
