using CanUdpMulticast.Cli.Options;
using CanUdpMulticast.Cli.Tests.Support;

namespace CanUdpMulticast.Cli.Tests;

/// <summary>Every cansend form <c>canudp send</c> accepts, and every way to get it wrong.</summary>
public sealed class SendFrameSyntaxTests
{
    [Fact]
    public void TryParse_StandardIdWithData_GivesClassicStandardFrame()
    {
        FrameArgument.TryParse("123#DEADBEEF", out var m, out _).Should().BeTrue();
        m.ArbitrationId.Should().Be(0x123u);
        m.IsExtendedId.Should().BeFalse();
        m.IsFd.Should().BeFalse();
        m.Data.ToArray().Should().Equal(0xDE, 0xAD, 0xBE, 0xEF);
    }

    [Fact]
    public void TryParse_EightDigitId_GivesExtendedFrame()
    {
        FrameArgument.TryParse("12345678#00", out var m, out _).Should().BeTrue();
        m.ArbitrationId.Should().Be(0x12345678u);
        m.IsExtendedId.Should().BeTrue();
        m.Data.ToArray().Should().Equal(0x00);
    }

    [Fact]
    public void TryParse_EightDigitSmallId_IsStillExtended()
    {
        FrameArgument.TryParse("00000123#11", out var m, out _).Should().BeTrue();
        m.ArbitrationId.Should().Be(0x123u);
        m.IsExtendedId.Should().BeTrue();
    }

    [Fact]
    public void TryParse_RemoteWithoutDlc_GivesRemoteFrameOfLengthZero()
    {
        FrameArgument.TryParse("123#R", out var m, out _).Should().BeTrue();
        m.IsRemoteFrame.Should().BeTrue();
        m.Dlc.Should().Be(0);
        m.DataLength.Should().Be(0);
    }

    [Fact]
    public void TryParse_RemoteWithDlc_GivesRemoteFrameRequestingThatLength()
    {
        FrameArgument.TryParse("123#R4", out var m, out _).Should().BeTrue();
        m.IsRemoteFrame.Should().BeTrue();
        m.Dlc.Should().Be(4);
        m.DataLength.Should().Be(0);
    }

    [Fact]
    public void TryParse_ExtendedRemote_GivesExtendedRemoteFrame()
    {
        FrameArgument.TryParse("1ABCDEF0#R8", out var m, out _).Should().BeTrue();
        m.IsExtendedId.Should().BeTrue();
        m.IsRemoteFrame.Should().BeTrue();
        m.Dlc.Should().Be(8);
    }

    [Fact]
    public void TryParse_FdWithBrsFlag_GivesFdFrameWithBitrateSwitch()
    {
        FrameArgument.TryParse("123##1112233", out var m, out _).Should().BeTrue();
        m.IsFd.Should().BeTrue();
        m.BitrateSwitch.Should().BeTrue();
        m.ErrorStateIndicator.Should().BeFalse();
        m.Data.ToArray().Should().Equal(0x11, 0x22, 0x33);
    }

    [Theory]
    [InlineData("123##0", false, false)]
    [InlineData("123##1", true, false)]
    [InlineData("123##2", false, true)]
    [InlineData("123##3", true, true)]
    public void TryParse_FdFlagNibble_SetsBrsAndEsi(string text, bool brs, bool esi)
    {
        FrameArgument.TryParse(text, out var m, out _).Should().BeTrue();
        m.IsFd.Should().BeTrue();
        m.BitrateSwitch.Should().Be(brs);
        m.ErrorStateIndicator.Should().Be(esi);
        m.DataLength.Should().Be(0);
    }

    [Fact]
    public void TryParse_Fd64Bytes_IsAccepted()
    {
        FrameArgument.TryParse("123##0" + new string('A', 128), out var m, out _).Should().BeTrue();
        m.DataLength.Should().Be(64);
    }

    [Fact]
    public void TryParse_DotsBetweenBytes_AreIgnored()
    {
        FrameArgument.TryParse("123#DE.AD.BE.EF", out var m, out _).Should().BeTrue();
        m.Data.ToArray().Should().Equal(0xDE, 0xAD, 0xBE, 0xEF);
    }

    [Fact]
    public void TryParse_NoData_GivesEmptyFrame()
    {
        FrameArgument.TryParse("7FF#", out var m, out _).Should().BeTrue();
        m.ArbitrationId.Should().Be(0x7FFu);
        m.DataLength.Should().Be(0);
    }

    [Fact]
    public void TryParse_LowerCaseHex_IsAccepted()
    {
        FrameArgument.TryParse("1ab#deadbeef", out var m, out _).Should().BeTrue();
        m.ArbitrationId.Should().Be(0x1ABu);
        m.Data.ToArray().Should().Equal(0xDE, 0xAD, 0xBE, 0xEF);
    }

    [Fact]
    public void TryParse_ErrorFlagInExtendedId_GivesErrorFrame()
    {
        FrameArgument.TryParse("20000080#0000000000000000", out var m, out _).Should().BeTrue();
        m.IsErrorFrame.Should().BeTrue();
        m.ArbitrationId.Should().Be(0x80u);
    }

    [Theory]
    [InlineData("123DEADBEEF", "'#'")]
    [InlineData("12#00", "'12'")]
    [InlineData("1234#00", "'1234'")]
    [InlineData("12G#00", "'12G'")]
    [InlineData("#00", "id ''")]
    [InlineData("800#00", "'800' is too large")]
    [InlineData("40000000#00", "'40000000' is too large")]
    [InlineData("123#ABC", "'C'")]
    [InlineData("123#XY", "'XY'")]
    [InlineData("123#001122334455667788", "more than 8 bytes")]
    [InlineData("123#R9", "'R9'")]
    [InlineData("123#RX", "'RX'")]
    [InlineData("123#R44", "'R44'")]
    [InlineData("123##", "flags digit")]
    [InlineData("123##G11", "flags digit")]
    [InlineData("123##0112", "'2'")]
    public void TryParse_WrongPart_IsRejectedWithAMessageNamingIt(string text, string named)
    {
        FrameArgument.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain(named);
        error.Should().MatchRegex("e\\.g\\.|examples|Example", "every error shows the right syntax");
    }

    [Fact]
    public void TryParse_FdFrameOver64Bytes_IsRejected()
    {
        FrameArgument.TryParse("123##0" + new string('A', 130), out _, out var error).Should().BeFalse();
        error.Should().Contain("more than 64 bytes");
    }

    [Fact]
    public async Task Send_BadFrame_ExitsWithUsageErrorNamingThePartAndAnExample()
    {
        var result = await Canudp.RunAsync("send", "-i", "virtual", "-c", Canudp.UniqueChannel(), "123#XYZ");

        result.ExitCode.Should().Be(ExitCodes.Usage, result.ToString());
        result.Error.Should().Contain("'123#XYZ'").And.Contain("'XYZ'").And.Contain("123#DE.AD.BE.EF");
        result.Error.Should().Contain("canudp send --help");
    }

    [Fact]
    public async Task Send_SecondFrameBad_NamesItsPosition()
    {
        var result = await Canudp.RunAsync("send", "-i", "virtual", "123#11", "12#00");

        result.ExitCode.Should().Be(ExitCodes.Usage);
        result.Error.Should().Contain("frame 2 '12#00'");
        result.Error.Should().NotContain("frame 1");
    }

    [Fact]
    public async Task Send_NoFrame_IsAUsageError()
    {
        var result = await Canudp.RunAsync("send", "-i", "virtual");

        result.ExitCode.Should().Be(ExitCodes.Usage);
        result.Error.Should().Contain("Required argument missing");
    }
}
