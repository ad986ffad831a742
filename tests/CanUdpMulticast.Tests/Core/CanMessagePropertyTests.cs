using CsCheck;

namespace CanUdpMulticast.Tests.Core;

/// <summary>CsCheck properties of <see cref="CanMessage"/> over random frames.</summary>
public sealed class CanMessagePropertyTests
{
    [Fact]
    public void ValidMessage_AnyGenerated_IsValid() =>
        CanGen.ValidMessage.Sample(message => message.GetValidationError().Should().Be(CanMessageError.None, message.ToString()));

    [Fact]
    public void With_EveryFieldSetToItsOwnValue_EqualWithSameHash() =>
        CanGen.ValidMessage.Sample(message =>
        {
            var copy = message with
            {
                Timestamp = message.Timestamp,
                ArbitrationId = message.ArbitrationId,
                IsExtendedId = message.IsExtendedId,
                IsRemoteFrame = message.IsRemoteFrame,
                IsErrorFrame = message.IsErrorFrame,
                IsFd = message.IsFd,
                BitrateSwitch = message.BitrateSwitch,
                ErrorStateIndicator = message.ErrorStateIndicator,
                IsRx = message.IsRx,
                Channel = message.Channel,
                Data = message.ToArray(),
                Dlc = message.Dlc,
            };
            copy.Should().Be(message);
            copy.GetHashCode().Should().Be(message.GetHashCode());
            copy.IsValid.Should().BeTrue();
        });

    [Fact]
    public void Rebuilt_FromItsProperties_Equal() =>
        CanGen.AnyMessage.Sample(message =>
        {
            var rebuilt = new CanMessage
            {
                Timestamp = message.Timestamp,
                ArbitrationId = message.ArbitrationId,
                IsExtendedId = message.IsExtendedId,
                IsRemoteFrame = message.IsRemoteFrame,
                IsErrorFrame = message.IsErrorFrame,
                IsFd = message.IsFd,
                BitrateSwitch = message.BitrateSwitch,
                ErrorStateIndicator = message.ErrorStateIndicator,
                IsRx = message.IsRx,
                Channel = message.Channel,
                Data = message.Data,
                Dlc = message.Dlc,
            };
            rebuilt.Equals(message).Should().BeTrue();
            rebuilt.GetHashCode().Should().Be(message.GetHashCode());
            rebuilt.GetValidationError().Should().Be(message.GetValidationError());
        });

    [Fact]
    public void Data_AnyBytes_ReadBackUnchanged() =>
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            var message = new CanMessage { Data = bytes };
            message.ToArray().Should().Equal(bytes);
            message.Dlc.Should().Be(bytes.Length);
            message.DataLength.Should().Be(bytes.Length);
        });

    [Fact]
    public void Equals_DifferentMessages_ConsistentWithIsEquivalentTo() =>
        Gen.Select(CanGen.AnyMessage, CanGen.AnyMessage).Sample((a, b) =>
        {
            a.Equals(b).Should().Be(b.Equals(a), "equality is symmetric");
            if (a.Equals(b))
            {
                a.GetHashCode().Should().Be(b.GetHashCode());
                a.IsEquivalentTo(b, timestampDelta: null).Should().BeTrue();
            }

            a.IsEquivalentTo(b, timestampDelta: null, checkChannel: false, checkDirection: false)
                .Should().Be(b.IsEquivalentTo(a, timestampDelta: null, checkChannel: false, checkDirection: false));
        });

    [Fact]
    public void IsEquivalentTo_ShiftedWithinDelta_TrueOutsideFalse() =>
        Gen.Select(CanGen.ValidMessage, Gen.Double[-1e-3, 1e-3]).Sample((message, shift) =>
        {
            var shifted = message with { Timestamp = message.Timestamp + shift };
            var actualDifference = Math.Abs(shifted.Timestamp - message.Timestamp);
            message.IsEquivalentTo(shifted, timestampDelta: 1e-4).Should().Be(actualDifference <= 1e-4);
            message.IsEquivalentTo(shifted, timestampDelta: null).Should().BeTrue();
        });

    [Fact]
    public void DlcCode_ValidMessage_ToLengthHoldsDlc() =>
        CanGen.ValidMessage.Sample(message =>
        {
            CanDlc.ToLength(message.DlcCode).Should().BeGreaterThanOrEqualTo(message.Dlc);
            (message.Dlc <= 8 ? message.DlcCode == message.Dlc : message.DlcCode > 8).Should().BeTrue();
        });
}
