namespace CanUdpMulticast.Nats.Tests;

/// <summary>The subject scheme and the filter -> subscription mapping (no server).</summary>
public sealed class NatsSubjectsTests
{
    private readonly NatsSubjects _subjects = new("can", "lab1.bench3");

    [Theory]
    [InlineData(false, 0x123u, "can.lab1.bench3.s.1.2.3")]
    [InlineData(false, 0x7FFu, "can.lab1.bench3.s.7.F.F")]
    [InlineData(false, 0x0u, "can.lab1.bench3.s.0.0.0")]
    [InlineData(true, 0x1ABCDE12u, "can.lab1.bench3.x.1.A.B.C.D.E.1.2")]
    [InlineData(true, 0x5u, "can.lab1.bench3.x.0.0.0.0.0.0.0.5")]
    public void For_Id_GivesOneTokenPerHexDigit(bool extended, uint id, string expected) =>
        _subjects.For(extended, id).Should().Be(expected);

    [Fact]
    public void For_SameIdTwice_ReturnsTheCachedString() =>
        _subjects.For(false, 0x123).Should().BeSameAs(_subjects.For(false, 0x123));

    [Fact]
    public void SubscriptionsFor_NoFilters_IsTheWholeBusAndExact()
    {
        _subjects.SubscriptionsFor([], out var exact).Should().Equal("can.lab1.bench3.>");
        exact.Should().BeTrue();
    }

    [Fact]
    public void SubscriptionsFor_ExactStandardId_IsOneSubjectAndExact()
    {
        _subjects.SubscriptionsFor([new CanFilter(0x123, 0x7FF, false)], out var exact).Should().Equal("can.lab1.bench3.s.1.2.3");
        exact.Should().BeTrue();
    }

    [Fact]
    public void SubscriptionsFor_WholeDigitMaskEitherKind_IsAWildcardPerKind()
    {
        _subjects.SubscriptionsFor([new CanFilter(0x100, 0x700)], out var exact)
            .Should().Equal("can.lab1.bench3.s.1.*.*", "can.lab1.bench3.x.*.*.*.*.*.*.*.*");
        exact.Should().BeFalse("0x700 covers only three of the four bits of an extended id's sixth digit");
    }

    [Fact]
    public void SubscriptionsFor_FilterWithBitsAboveElevenBits_SubscribesNoStandardFrames()
    {
        _subjects.SubscriptionsFor([new CanFilter(0x1000, 0x1FFFFFFF)], out var exact).Should().Equal("can.lab1.bench3.x.0.0.0.0.1.0.0.0");
        exact.Should().BeTrue();
    }

    [Fact]
    public void SubscriptionsFor_NestedFilters_KeepsOnlyTheWiderOne()
    {
        _subjects.SubscriptionsFor([new CanFilter(0x123, 0x7FF, false), new CanFilter(0x100, 0x700, false)], out var exact)
            .Should().Equal("can.lab1.bench3.s.1.*.*");
        exact.Should().BeTrue();
    }

    [Fact]
    public void SubscriptionsFor_OverlappingFilters_FallsBackToTheKindSoNoFrameArrivesTwice()
    {
        _subjects.SubscriptionsFor([new CanFilter(0x100, 0x700, false), new CanFilter(0x020, 0x0F0, false)], out var exact)
            .Should().Equal("can.lab1.bench3.s.>");
        exact.Should().BeFalse();
    }

    [Fact]
    public void SubscriptionsFor_InvertedFilter_SubscribesTheKindAndFiltersInTheBus()
    {
        _subjects.SubscriptionsFor([new CanFilter(0x123, 0x7FF, false, Inverted: true)], out var exact).Should().Equal("can.lab1.bench3.s.*.*.*");
        exact.Should().BeFalse();
    }

    [Theory]
    [InlineData("lab 1")]
    [InlineData("lab.*")]
    [InlineData("lab..1")]
    [InlineData("lab>")]
    public void Constructor_InvalidBusName_ThrowsInitialization(string bus)
    {
        var create = () => new NatsSubjects("can", bus);

        create.Should().Throw<CanInitializationException>();
    }
}
