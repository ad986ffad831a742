using CsCheck;

namespace CanUdpMulticast.Tests.Core;

/// <summary>Filter algebra as CsCheck properties.</summary>
public sealed class CanFilterPropertyTests
{
    private static readonly Gen<bool?> Extended = Gen.OneOf<bool?>(null, true, false);

    private static readonly Gen<CanFilter> AnyFilter =
        Gen.Select(Gen.UInt, Gen.OneOf(Gen.UInt, Gen.OneOf(0u, 0x7FFu, 0x1FFF_FFFFu, uint.MaxValue)), Extended, Gen.Bool)
            .Select((id, mask, extended, inverted) => new CanFilter(id, mask, extended, inverted));

    private static readonly Gen<CanMessage> AnyFrame =
        Gen.Select(Gen.Bool, Gen.UInt[0, 0x1FFF_FFFF]).Select((extended, id) =>
            new CanMessage { ArbitrationId = extended ? id : id & 0x7FF, IsExtendedId = extended });

    private static bool ExtendedConditionHolds(CanFilter filter, in CanMessage message) =>
        filter.Extended is not { } extended || extended == message.IsExtendedId;

    [Fact]
    public void Matches_MaskZero_PassesEverything() =>
        Gen.Select(Gen.UInt, AnyFrame).Sample((id, message) => new CanFilter(id, 0).Matches(message).Should().BeTrue());

    [Fact]
    public void Matches_MaskZeroInverted_PassesNothing() =>
        Gen.Select(Gen.UInt, AnyFrame).Sample((id, message) => new CanFilter(id, 0, Inverted: true).Matches(message).Should().BeFalse());

    [Fact]
    public void Matches_FullMask_PassesExactlyItsId() =>
        Gen.Select(Gen.UInt[0, 0x1FFF_FFFF], AnyFrame, Gen.OneOf(0x1FFF_FFFFu, uint.MaxValue)).Sample((id, message, mask) =>
        {
            new CanFilter(id, mask).Matches(message).Should().Be(message.ArbitrationId == id);
            new CanFilter(id, mask).Matches(message with { ArbitrationId = id }).Should().BeTrue();
        });

    [Fact]
    public void Matches_StandardFullMask_PassesExactlyItsIdAmongStandardIds() =>
        Gen.Select(CanGen.StandardId, CanGen.StandardId).Sample((id, messageId) =>
            new CanFilter(id, 0x7FF).Matches(new CanMessage { ArbitrationId = messageId }).Should().Be(id == messageId));

    [Fact]
    public void Matches_Inverted_IsTheComplementUnderTheSameExtendedCondition() =>
        Gen.Select(AnyFilter, AnyFrame).Sample((filter, message) =>
        {
            var flipped = filter with { Inverted = !filter.Inverted };
            if (ExtendedConditionHolds(filter, message))
            {
                flipped.Matches(message).Should().Be(!filter.Matches(message));
            }
            else
            {
                filter.Matches(message).Should().BeFalse();
                flipped.Matches(message).Should().BeFalse();
            }
        });

    [Fact]
    public void Matches_IsPythonCansFormula() =>
        Gen.Select(AnyFilter, AnyFrame).Sample((filter, message) =>
        {
            // python-can: (can_id ^ arbitration_id) & can_mask == 0, i.e. id & mask == can_id & mask
            var idMaskTest = (message.ArbitrationId & filter.Mask) == (filter.Id & filter.Mask);
            filter.Matches(message).Should().Be(ExtendedConditionHolds(filter, message) && (idMaskTest != filter.Inverted));
        });

    [Fact]
    public void Matches_BitsOutsideTheMask_DoNotMatter() =>
        Gen.Select(AnyFilter, AnyFrame, Gen.UInt).Sample((filter, message, noise) =>
        {
            var changed = message with { ArbitrationId = message.ArbitrationId ^ (noise & ~filter.Mask) };
            filter.Matches(changed).Should().Be(filter.Matches(message));
        });

    [Fact]
    public void MatchesAny_IsTheDisjunctionAndEmptyPassesAll() =>
        Gen.Select(AnyFilter.Array[0, 5], AnyFrame).Sample((filters, message) =>
            CanFilter.MatchesAny(filters, message).Should().Be(filters.Length == 0 || filters.Any(f => f.Matches(message))));

    [Fact]
    public void Parse_ToStringOfUnrestrictedFilter_RoundTrips() =>
        Gen.Select(Gen.UInt, Gen.UInt, Gen.Bool).Sample((id, mask, inverted) =>
        {
            var filter = new CanFilter(id, mask, Inverted: inverted);
            CanFilter.Parse(filter.ToString()).Should().Be(filter);
        });
}
