namespace CanUdpMulticast.Tests.Core;

public sealed class CanDlcTests
{
    // ISO 11898-1 / python-can's CAN_FD_DLC
    private static readonly int[] Lengths = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64];

    public static TheoryData<int> AllCodes => [.. Enumerable.Range(0, 16)];

    public static TheoryData<int> AllLengths => [.. Enumerable.Range(0, 65)];

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void ToLength_EveryCode_IsTheStandardLength(int code) => CanDlc.ToLength(code).Should().Be(Lengths[code]);

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void ToCode_LengthOfEveryCode_GivesTheCodeBack(int code) => CanDlc.ToCode(Lengths[code]).Should().Be(code);

    [Theory]
    [InlineData(-1)]
    [InlineData(16)]
    [InlineData(int.MaxValue)]
    public void ToLength_CodeOutside0To15_Throws(int code) =>
        FluentActions.Invoking(() => CanDlc.ToLength(code)).Should().Throw<ArgumentOutOfRangeException>();

    [Theory]
    [MemberData(nameof(AllLengths))]
    public void ToCode_EveryLength_IsTheSmallestCodeThatHoldsIt(int length)
    {
        // python-can's len2dlc, checked for 0..64 against can.util.len2dlc of python-can 4.1.0
        var expected = length switch
        {
            <= 8 => length,
            <= 12 => 9,
            <= 16 => 10,
            <= 20 => 11,
            <= 24 => 12,
            <= 32 => 13,
            <= 48 => 14,
            _ => 15,
        };
        CanDlc.ToCode(length).Should().Be(expected);
        CanDlc.ToLength(expected).Should().BeGreaterThanOrEqualTo(length);
        if (expected > 0)
        {
            CanDlc.ToLength(expected - 1).Should().BeLessThan(length, "the code is the smallest one");
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65)]
    public void ToCode_LengthOutside0To64_Throws(int length) =>
        FluentActions.Invoking(() => CanDlc.ToCode(length)).Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public void IsValidFdLength_MinusOneTo70_TrueExactlyForTheSixteenLengths()
    {
        for (var length = -1; length <= 70; length++)
        {
            CanDlc.IsValidFdLength(length).Should().Be(Lengths.Contains(length), $"length {length}");
        }

        CanDlc.IsValidFdLength(int.MinValue).Should().BeFalse();
        CanDlc.IsValidFdLength(int.MaxValue).Should().BeFalse();
    }

    [Fact]
    public void DlcCode_OfMessages_FollowsDlc()
    {
        new CanMessage { IsFd = true, Data = new byte[13] }.DlcCode.Should().Be(10);
        new CanMessage { IsFd = true, Data = new byte[64] }.DlcCode.Should().Be(15);
        new CanMessage { IsRemoteFrame = true, Dlc = 5 }.DlcCode.Should().Be(5);
        default(CanMessage).DlcCode.Should().Be(0);
    }

    [Fact]
    public void Constants_AreClassicAndFdMaxima()
    {
        CanDlc.MaxClassicLength.Should().Be(8);
        CanDlc.MaxFdLength.Should().Be(64);
    }
}
