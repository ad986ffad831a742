using CsCheck;

namespace CanUdpMulticast.Tests.Core;

public sealed class CanChannelTests
{
    [Fact]
    public void Default_IsNone()
    {
        var channel = default(CanChannel);
        channel.IsNone.Should().BeTrue();
        channel.IsName.Should().BeFalse();
        channel.IsNumber.Should().BeFalse();
        channel.Name.Should().BeNull();
        channel.ToString().Should().BeEmpty();
        channel.Should().Be(CanChannel.None);
    }

    [Fact]
    public void NullName_IsNone()
    {
        new CanChannel(null).IsNone.Should().BeTrue();
        CanChannel.FromString(null).Should().Be(CanChannel.None);
        CanChannel implicitNull = (string?)null;
        implicitNull.IsNone.Should().BeTrue();
    }

    [Fact]
    public void Name_IsAName()
    {
        CanChannel channel = "vcan0";
        channel.IsName.Should().BeTrue();
        channel.IsNone.Should().BeFalse();
        channel.IsNumber.Should().BeFalse();
        channel.Name.Should().Be("vcan0");
        channel.ToString().Should().Be("vcan0");
        channel.Should().Be(CanChannel.FromString("vcan0"));
    }

    [Fact]
    public void EmptyName_IsANameNotNone()
    {
        var channel = new CanChannel(string.Empty);
        channel.IsName.Should().BeTrue();
        channel.IsNone.Should().BeFalse();
        channel.Should().NotBe(CanChannel.None);
    }

    [Fact]
    public void Number_IsANumber()
    {
        CanChannel channel = 3;
        channel.IsNumber.Should().BeTrue();
        channel.IsName.Should().BeFalse();
        channel.IsNone.Should().BeFalse();
        channel.Number.Should().Be(3);
        channel.Name.Should().BeNull();
        channel.ToString().Should().Be("3");
        channel.Should().Be(CanChannel.FromInt64(3));
    }

    [Fact]
    public void NumberZero_IsNotNone() => new CanChannel(0).IsNone.Should().BeFalse();

    [Fact]
    public void Number_OfANameOrNone_Throws()
    {
        FluentActions.Invoking(() => new CanChannel("can0").Number).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => CanChannel.None.Number).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Equals_NameAndNumberWithSameText_Differ()
    {
        var name = new CanChannel("0");
        var number = new CanChannel(0);
        name.Equals(number).Should().BeFalse();
        (name == number).Should().BeFalse();
        (name != number).Should().BeTrue();
        name.ToString().Should().Be(number.ToString());
    }

    [Fact]
    public void Equals_NamesAreCaseSensitive() => new CanChannel("VCAN0").Should().NotBe(new CanChannel("vcan0"));

    [Fact]
    public void Equals_BoxedAndOtherTypes()
    {
        new CanChannel(1).Equals((object)new CanChannel(1)).Should().BeTrue();
        new CanChannel(1).Equals((object)1L).Should().BeFalse();
        new CanChannel("a").Equals(null).Should().BeFalse();
    }

    [Fact]
    public void Equals_AnyTwoChannels_HashConsistent() =>
        Gen.Select(CanGen.Channel, CanGen.Channel).Sample((a, b) =>
        {
            a.Equals(b).Should().Be(b.Equals(a));
            if (a == b)
            {
                a.GetHashCode().Should().Be(b.GetHashCode());
                a.ToString().Should().Be(b.ToString());
            }

            if (a.IsNumber && b.IsNumber)
            {
                (a == b).Should().Be(a.Number == b.Number);
            }

            if (a.IsName && b.IsName)
            {
                (a == b).Should().Be(a.Name == b.Name);
            }
        });
}
