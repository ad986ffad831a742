using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Tests.Core;

/// <summary>Construction, data storage, the Dlc rules and <c>with</c> expressions.</summary>
public sealed class CanMessageDataTests
{
    [Fact]
    public void Default_HasPythonCanDefaultsExceptStandardId()
    {
        var message = default(CanMessage);
        message.ArbitrationId.Should().Be(0);
        message.IsExtendedId.Should().BeFalse("unlike python-can, standard ids are the default");
        message.IsRx.Should().BeTrue();
        message.IsRemoteFrame.Should().BeFalse();
        message.IsErrorFrame.Should().BeFalse();
        message.IsFd.Should().BeFalse();
        message.BitrateSwitch.Should().BeFalse();
        message.ErrorStateIndicator.Should().BeFalse();
        message.Timestamp.Should().Be(0);
        message.Channel.IsNone.Should().BeTrue();
        message.Dlc.Should().Be(0);
        message.DataLength.Should().Be(0);
        message.Data.IsEmpty.Should().BeTrue();
        new CanMessage().Should().Be(message);
    }

    [Fact]
    public void Constructor_IdDataExtended_SetsThem()
    {
        var message = new CanMessage(0x1234567, [1, 2, 3], isExtendedId: true);
        message.ArbitrationId.Should().Be(0x1234567);
        message.IsExtendedId.Should().BeTrue();
        message.ToArray().Should().Equal(1, 2, 3);
        message.Dlc.Should().Be(3);
        message.IsRx.Should().BeTrue();
    }

    [Fact]
    public void Data_64Bytes_AreStored()
    {
        var bytes = Enumerable.Range(0, 64).Select(i => (byte)(i * 3)).ToArray();
        var message = new CanMessage { IsFd = true, Data = bytes };
        message.ToArray().Should().Equal(bytes);
        message.Dlc.Should().Be(64);
        message.DataLength.Should().Be(64);
    }

    [Fact]
    public void Data_65Bytes_ThrowsArgumentException()
    {
        var init = () => new CanMessage { Data = new byte[65] };
        var constructor = () => new CanMessage(1, new byte[65]);
        init.Should().Throw<ArgumentException>().WithMessage("*at most 64*65*");
        constructor.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Data_IsCopiedWhenSet()
    {
        var bytes = new byte[] { 1, 2, 3 };
        var message = new CanMessage { Data = bytes };
        bytes[0] = 99;
        message.ToArray().Should().Equal(1, 2, 3);
    }

    [Fact]
    public void ToArray_ReturnsACopy()
    {
        var message = new CanMessage { Data = [1, 2] };
        var copy = message.ToArray();
        copy[0] = 42;
        message.Data[0].Should().Be(1);
    }

    [Fact]
    public void Dlc_NotSet_FollowsDataLength()
    {
        for (var length = 0; length <= 64; length++)
        {
            new CanMessage { Data = new byte[length] }.Dlc.Should().Be(length);
        }
    }

    [Fact]
    public void Dlc_SetForRemoteFrame_IsKeptWithoutData()
    {
        var message = new CanMessage { ArbitrationId = 0x7FF, IsRemoteFrame = true, Dlc = 4 };
        message.Dlc.Should().Be(4);
        message.DataLength.Should().Be(0);
        message.Data.IsEmpty.Should().BeTrue();
        message.IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(64)]
    public void Dlc_SetInRange_IsKept(int dlc) => new CanMessage { Dlc = dlc }.Dlc.Should().Be(dlc);

    [Fact]
    public void Dlc_SetBeforeOrAfterData_SameResult()
    {
        var dlcFirst = new CanMessage { Dlc = 3, Data = [1, 2, 3] };
        var dataFirst = new CanMessage { Data = [1, 2, 3], Dlc = 3 };
        dlcFirst.Should().Be(dataFirst);
        dlcFirst.IsValid.Should().BeTrue();
    }

    [Fact]
    public void With_NewDataAfterExplicitDlc_KeepsTheExplicitDlc()
    {
        // Documented: an explicit Dlc sticks; replacing the data does not reset it.
        var remote = new CanMessage { IsRemoteFrame = true, Dlc = 4 };
        var data = remote with { IsRemoteFrame = false, Data = [1, 2] };
        data.Dlc.Should().Be(4);
        data.GetValidationError().Should().Be(CanMessageError.DlcMismatch);
    }

    [Fact]
    public void With_NewDataWithoutExplicitDlc_DlcFollowsTheNewData()
    {
        var message = new CanMessage { Data = [1, 2, 3, 4, 5, 6, 7, 8] };
        var shorter = message with { Data = [9] };
        shorter.Dlc.Should().Be(1);
        shorter.ToArray().Should().Equal(9);
        shorter.Should().Be(new CanMessage { Data = [9] }, "bytes left over in the inline buffer are not part of the value");
        shorter.GetHashCode().Should().Be(new CanMessage { Data = [9] }.GetHashCode());
    }

    [Fact]
    public void With_ChangesOnlyTheCopy()
    {
        var original = new CanMessage { ArbitrationId = 1, Data = [1, 2], Channel = "a", Timestamp = 5 };
        var copy = original with { ArbitrationId = 2, IsRx = false, Channel = 3 };
        original.ArbitrationId.Should().Be(1);
        original.IsRx.Should().BeTrue();
        original.Channel.Should().Be(new CanChannel("a"));
        copy.ArbitrationId.Should().Be(2);
        copy.IsRx.Should().BeFalse();
        copy.Channel.Should().Be(new CanChannel(3));
        copy.ToArray().Should().Equal(1, 2);
        copy.Timestamp.Should().Be(5);
    }

    [Fact]
    public void Flags_SetAndClearedIndependently()
    {
        var all = new CanMessage
        {
            IsExtendedId = true, IsRemoteFrame = true, IsErrorFrame = true, IsFd = true,
            BitrateSwitch = true, ErrorStateIndicator = true, IsRx = false,
        };
        all.Should().BeEquivalentTo(new { IsExtendedId = true, IsRemoteFrame = true, IsErrorFrame = true, IsFd = true, BitrateSwitch = true, ErrorStateIndicator = true, IsRx = false });
        var none = all with
        {
            IsExtendedId = false, IsRemoteFrame = false, IsErrorFrame = false, IsFd = false,
            BitrateSwitch = false, ErrorStateIndicator = false, IsRx = true,
        };
        none.Should().Be(default(CanMessage));
        (all with { IsFd = false }).IsRemoteFrame.Should().BeTrue("clearing one flag leaves the others");
        (all with { IsFd = false }).BitrateSwitch.Should().BeTrue();
    }

    [Fact]
    public void TimestampUtc_IsTheUnixTime()
    {
        new CanMessage { Timestamp = 1.5 }.TimestampUtc.Should().Be(new DateTime(1970, 1, 1, 0, 0, 1, 500, DateTimeKind.Utc));
        new CanMessage { Timestamp = 1_700_000_000.123456 }.TimestampUtc.Should()
            .BeCloseTo(new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc).AddTicks(1_234_560), TimeSpan.FromTicks(2));
        new CanMessage { Timestamp = 1.5 }.TimestampUtc.Kind.Should().Be(DateTimeKind.Utc);
    }

    [Fact]
    public void Size_HoldsTheDataInline()
    {
        // The inline 64-byte buffer is what makes a send/receive path without heap allocation possible.
        Unsafe.SizeOf<CanMessage>().Should().BeInRange(64 + 16, 128);
        RuntimeHelpers.IsReferenceOrContainsReferences<CanMessage>().Should().BeTrue("only the channel name is a reference");
    }
}
