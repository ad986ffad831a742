using System.Globalization;
using System.Text;
using CanUdpMulticast.IO.Text;
using CsCheck;

namespace CanUdpMulticast.Tests.IO;

public sealed class AsciiTextTests
{
    [Fact]
    public void WriteFixed_UnixTimes_SameTextAsCorrectlyRoundedFormatting()
    {
        Gen.Double[1 << 20, 4e9].Sample(value =>
        {
            Span<byte> buffer = stackalloc byte[64];
            Encoding.ASCII.GetString(buffer[..AsciiText.WriteFixed(buffer, value, 6)]).Should().Be(value.ToString("F6", CultureInfo.InvariantCulture));
            Encoding.ASCII.GetString(buffer[..AsciiText.WriteFixed(buffer, value, 3)]).Should().Be(value.ToString("F3", CultureInfo.InvariantCulture));
        }, iter: 20_000);
    }

    [Theory]
    [InlineData(0.0, "0.000000")]
    [InlineData(0.0000005, "0.000000")]
    [InlineData(0.9999996, "1.000000")]
    [InlineData(1700000000.9999995, "1700000001.000000")]
    [InlineData(12.5, "12.500000")]
    [InlineData(-1.25, "-1.250000")]
    public void WriteFixed_EdgeValues(double value, string expected)
    {
        Span<byte> buffer = stackalloc byte[64];

        Encoding.ASCII.GetString(buffer[..AsciiText.WriteFixed(buffer, value, 6)]).Should().Be(expected);
    }

    [Fact]
    public void TryParseDouble_DecimalText_SameDoubleAsTheRuntimeParser()
    {
        Gen.Select(Gen.Long[0, 9_999_999_999], Gen.Int[0, 999_999_999], Gen.Int[0, 9], (whole, fraction, digits) =>
            whole.ToString(CultureInfo.InvariantCulture) + (digits == 0 ? string.Empty : "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(9, '0')[..digits]))
            .Sample(text =>
            {
                AsciiText.TryParseDouble(Encoding.ASCII.GetBytes(text), out var value).Should().BeTrue();
                value.Should().Be(double.Parse(text, CultureInfo.InvariantCulture), text);
            }, iter: 20_000);
    }

    [Theory]
    [InlineData("1e3", 1000.0)]
    [InlineData("-2.5", -2.5)]
    [InlineData("12345678901234567890.5", 12345678901234567890.5)]
    public void TryParseDouble_OtherForms_FallBackToTheRuntimeParser(string text, double expected)
    {
        AsciiText.TryParseDouble(Encoding.ASCII.GetBytes(text), out var value).Should().BeTrue();

        value.Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("nan")]
    [InlineData("inf")]
    [InlineData("12a")]
    public void TryParseDouble_NotANumber_False(string text)
    {
        AsciiText.TryParseDouble(Encoding.ASCII.GetBytes(text), out _).Should().BeFalse();
    }
}
