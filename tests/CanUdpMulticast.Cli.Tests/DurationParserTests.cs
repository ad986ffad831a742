using CanUdpMulticast.Cli.Options;

namespace CanUdpMulticast.Cli.Tests;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("1.5", 1500.0)]
    [InlineData("200ms", 200.0)]
    [InlineData("50us", 0.05)]
    [InlineData("2s", 2000.0)]
    [InlineData("1min", 60000.0)]
    [InlineData("0", 0.0)]
    public void TryParse_SecondsByDefault_UnitsWhenGiven(string text, double milliseconds)
    {
        DurationParser.TryParse(text, TimeSpan.FromSeconds(1), out var value).Should().BeTrue();
        value.TotalMilliseconds.Should().BeApproximately(milliseconds, 1e-9);
    }

    [Fact]
    public void TryParse_BareNumberInMilliseconds_ForCangenGap()
    {
        DurationParser.TryParse("10", TimeSpan.FromMilliseconds(1), out var value).Should().BeTrue();
        value.Should().Be(TimeSpan.FromMilliseconds(10));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1h")]
    [InlineData("")]
    [InlineData("NaN")]
    public void TryParse_Invalid_IsRejected(string text) =>
        DurationParser.TryParse(text, TimeSpan.FromSeconds(1), out _).Should().BeFalse();
}
