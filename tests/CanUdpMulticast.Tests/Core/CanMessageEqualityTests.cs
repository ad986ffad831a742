namespace CanUdpMulticast.Tests.Core;

/// <summary>Value equality (<c>Equals</c>, <c>==</c>, hash) and python-can's <c>equals</c> (<see cref="CanMessage.IsEquivalentTo"/>).</summary>
public sealed class CanMessageEqualityTests
{
    private static readonly CanMessage Sample = new()
    {
        Timestamp = 1.25,
        ArbitrationId = 0x1234567,
        IsExtendedId = true,
        IsFd = true,
        BitrateSwitch = true,
        Channel = "vcan0",
        Data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    };

    [Fact]
    public void Equals_SameValues_AreEqualWithSameHash()
    {
        var copy = new CanMessage
        {
            Timestamp = 1.25, ArbitrationId = 0x1234567, IsExtendedId = true, IsFd = true, BitrateSwitch = true,
            Channel = "vcan0", Data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        };
        copy.Equals(Sample).Should().BeTrue();
        (copy == Sample).Should().BeTrue();
        (copy != Sample).Should().BeFalse();
        copy.Equals((object)Sample).Should().BeTrue();
        copy.GetHashCode().Should().Be(Sample.GetHashCode());
    }

    public static TheoryData<string, CanMessage> OneFieldChanged => new()
    {
        { "timestamp by 1e-9", Sample with { Timestamp = 1.25 + 1e-9 } },
        { "id", Sample with { ArbitrationId = 0x1234566 } },
        { "extended", Sample with { IsExtendedId = false } },
        { "remote", Sample with { IsRemoteFrame = true } },
        { "error", Sample with { IsErrorFrame = true } },
        { "fd", Sample with { IsFd = false } },
        { "brs", Sample with { BitrateSwitch = false } },
        { "esi", Sample with { ErrorStateIndicator = true } },
        { "direction", Sample with { IsRx = false } },
        { "channel name", Sample with { Channel = "vcan1" } },
        { "channel none", Sample with { Channel = CanChannel.None } },
        { "last data byte", Sample with { Data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13] } },
        { "a trailing zero byte", Sample with { Data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0] } },
        { "one byte less", Sample with { Data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] } },
        { "explicit dlc", Sample with { Dlc = 16 } },
    };

    [Theory]
    [MemberData(nameof(OneFieldChanged))]
    public void Equals_OneFieldDiffers_NotEqual(string field, CanMessage other)
    {
        other.Equals(Sample).Should().BeFalse(field);
        (other == Sample).Should().BeFalse(field);
        (other != Sample).Should().BeTrue(field);
    }

    [Fact]
    public void Equals_ChannelNameZeroAndNumberZero_NotEqual()
    {
        var name = new CanMessage { Channel = "0" };
        var number = new CanMessage { Channel = 0 };
        name.Should().NotBe(number);
        name.IsEquivalentTo(number).Should().BeFalse();
        name.IsEquivalentTo(number, checkChannel: false).Should().BeTrue();
    }

    [Fact]
    public void Equals_EmptyChannelNameAndNoChannel_NotEqual() =>
        new CanMessage { Channel = string.Empty }.Should().NotBe(new CanMessage());

    [Fact]
    public void Equals_ExplicitDlcEqualToDataLength_EqualsImplicitDlc()
    {
        var implicitDlc = new CanMessage { Data = [1, 2] };
        var explicitDlc = new CanMessage { Data = [1, 2], Dlc = 2 };
        explicitDlc.Should().Be(implicitDlc);
        explicitDlc.GetHashCode().Should().Be(implicitDlc.GetHashCode());
    }

    [Fact]
    public void Equals_RemoteFramesWithDifferentDlc_NotEqual() =>
        new CanMessage { IsRemoteFrame = true, Dlc = 4 }.Should().NotBe(new CanMessage { IsRemoteFrame = true, Dlc = 5 });

    [Fact]
    public void Equals_ZeroAndNegativeZeroTimestamp_EqualWithSameHash()
    {
        var zero = new CanMessage { Timestamp = 0.0 };
        var negativeZero = new CanMessage { Timestamp = -0.0 };
        zero.Should().Be(negativeZero);
        zero.GetHashCode().Should().Be(negativeZero.GetHashCode());
    }

    [Fact]
    public void Equals_NaNTimestamps_EqualToItself()
    {
        // double.Equals semantics, so a message is always equal to itself (reflexive) and usable as a key
        var message = new CanMessage { Timestamp = double.NaN };
        message.Equals(message).Should().BeTrue();
        message.GetHashCode().Should().Be((message with { }).GetHashCode());
    }

    [Fact]
    public void Equals_OtherTypeOrNull_False()
    {
        Sample.Equals(null).Should().BeFalse();
        Sample.Equals("text").Should().BeFalse();
    }

    [Fact]
    public void Equals_WorksAsDictionaryKey()
    {
        var set = new HashSet<CanMessage> { Sample, Sample with { }, Sample with { Data = Sample.Data } };
        set.Should().ContainSingle();
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(5e-7, true)]
    [InlineData(-1e-6, true)]
    [InlineData(2e-6, false)]
    [InlineData(-1e-3, false)]
    public void IsEquivalentTo_DefaultDelta_OneMicrosecond(double difference, bool expected) =>
        Sample.IsEquivalentTo(Sample with { Timestamp = Sample.Timestamp + difference }).Should().Be(expected);

    [Fact]
    public void IsEquivalentTo_CustomDelta_Used()
    {
        var later = Sample with { Timestamp = Sample.Timestamp + 0.5 };
        Sample.IsEquivalentTo(later, timestampDelta: 0.5).Should().BeTrue();
        Sample.IsEquivalentTo(later, timestampDelta: 0.4).Should().BeFalse();
        Sample.IsEquivalentTo(later, timestampDelta: 0).Should().BeFalse();
        Sample.IsEquivalentTo(Sample, timestampDelta: 0).Should().BeTrue();
    }

    [Fact]
    public void IsEquivalentTo_NullDelta_IgnoresTimestamps()
    {
        Sample.IsEquivalentTo(Sample with { Timestamp = 1e9 }, timestampDelta: null).Should().BeTrue();
        Sample.IsEquivalentTo(Sample with { Timestamp = double.NaN }, timestampDelta: null).Should().BeTrue();
        Sample.IsEquivalentTo(Sample with { Timestamp = double.NaN }).Should().BeFalse();
    }

    [Fact]
    public void IsEquivalentTo_CheckChannel_ComparesOrIgnoresChannel()
    {
        var other = Sample with { Channel = 1 };
        Sample.IsEquivalentTo(other).Should().BeFalse();
        Sample.IsEquivalentTo(other, checkChannel: true).Should().BeFalse();
        Sample.IsEquivalentTo(other, checkChannel: false).Should().BeTrue();
    }

    [Fact]
    public void IsEquivalentTo_CheckDirection_ComparesOrIgnoresIsRx()
    {
        var sent = Sample with { IsRx = false };
        Sample.IsEquivalentTo(sent).Should().BeFalse();
        Sample.IsEquivalentTo(sent, checkDirection: false).Should().BeTrue();
    }

    public static TheoryData<string, CanMessage> FieldsNeverIgnored => new()
    {
        { "id", Sample with { ArbitrationId = 1 } },
        { "extended", Sample with { IsExtendedId = false } },
        { "remote", Sample with { IsRemoteFrame = true } },
        { "error", Sample with { IsErrorFrame = true } },
        { "fd", Sample with { IsFd = false } },
        { "brs", Sample with { BitrateSwitch = false } },
        { "esi (python-can compares it too)", Sample with { ErrorStateIndicator = true } },
        { "data", Sample with { Data = [1] } },
        { "dlc", Sample with { Dlc = 13 } },
    };

    [Theory]
    [MemberData(nameof(FieldsNeverIgnored))]
    public void IsEquivalentTo_FrameFieldDiffers_FalseEvenWithEveryOptionOff(string field, CanMessage other) =>
        Sample.IsEquivalentTo(other, timestampDelta: null, checkChannel: false, checkDirection: false).Should().BeFalse(field);
}
