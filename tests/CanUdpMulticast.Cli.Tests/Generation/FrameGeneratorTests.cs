using CanUdpMulticast.Cli.Generation;

namespace CanUdpMulticast.Cli.Tests.Generation;

public sealed class FrameGeneratorTests
{
    private static List<CanMessage> Take(GeneratorSettings settings, int count, int seed = 1)
    {
        var generator = new FrameGenerator(settings, new Random(seed));
        return [.. Enumerable.Range(0, count).Select(_ => generator.Next())];
    }

    [Fact]
    public void Next_Defaults_AreValidClassicStandardFramesOfRandomLength()
    {
        var frames = Take(new GeneratorSettings(), 500);

        frames.Should().OnlyContain(f => f.IsValid && !f.IsFd && !f.IsExtendedId && f.ArbitrationId <= 0x7FF && f.DataLength <= 8);
        frames.Select(f => f.DataLength).Distinct().Should().HaveCount(9, "random lengths cover 0..8");
    }

    [Fact]
    public void Next_IncrementingId_CountsUpAndWraps()
    {
        var frames = Take(new GeneratorSettings { IdMode = GeneratorMode.Increment }, 0x802);

        frames[0].ArbitrationId.Should().Be(0u);
        frames[5].ArbitrationId.Should().Be(5u);
        frames[0x7FF].ArbitrationId.Should().Be(0x7FFu);
        frames[0x800].ArbitrationId.Should().Be(0u);
    }

    [Fact]
    public void Next_FixedId_AlwaysUsesIt()
    {
        Take(new GeneratorSettings { IdMode = GeneratorMode.Fixed, FixedId = 0x1ABCDEF, Extended = true }, 20)
            .Should().OnlyContain(f => f.ArbitrationId == 0x1ABCDEF && f.IsExtendedId);
    }

    [Fact]
    public void Next_IncrementingLength_CyclesThroughClassicLengths()
    {
        Take(new GeneratorSettings { LengthMode = GeneratorMode.Increment }, 10).Select(f => f.DataLength)
            .Should().Equal(0, 1, 2, 3, 4, 5, 6, 7, 8, 0);
    }

    [Fact]
    public void Next_FdIncrementingLength_StepsThroughValidFdLengths()
    {
        Take(new GeneratorSettings { Fd = true, LengthMode = GeneratorMode.Increment }, 17).Select(f => f.DataLength)
            .Should().Equal(0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64, 0);
    }

    [Fact]
    public void Next_FdRandomLength_OnlyValidFdLengths()
    {
        var frames = Take(new GeneratorSettings { Fd = true, BitrateSwitch = true }, 500);
        frames.Should().OnlyContain(f => f.IsFd && f.BitrateSwitch && CanDlc.IsValidFdLength(f.DataLength) && f.IsValid);
        frames.Max(f => f.DataLength).Should().Be(64);
    }

    [Fact]
    public void Next_IncrementingData_IsALittleEndianCounter()
    {
        var frames = Take(new GeneratorSettings { DataMode = GeneratorMode.Increment, LengthMode = GeneratorMode.Fixed, FixedLength = 8 }, 258);

        frames[0].Data.ToArray().Should().Equal(0, 0, 0, 0, 0, 0, 0, 0);
        frames[1].Data.ToArray().Should().Equal(1, 0, 0, 0, 0, 0, 0, 0);
        frames[257].Data.ToArray().Should().Equal(1, 1, 0, 0, 0, 0, 0, 0);
    }

    [Fact]
    public void Next_FixedData_RepeatsIt()
    {
        Take(new GeneratorSettings { DataMode = GeneratorMode.Fixed, FixedData = [0xDE, 0xAD], LengthMode = GeneratorMode.Fixed, FixedLength = 2 }, 5)
            .Select(f => Convert.ToHexString(f.Data)).Should().AllBe("DEAD");
    }

    [Fact]
    public void Next_Remote_GivesRemoteFramesWithDlc()
    {
        Take(new GeneratorSettings { Remote = true, LengthMode = GeneratorMode.Fixed, FixedLength = 4 }, 5)
            .Should().OnlyContain(f => f.IsRemoteFrame && f.Dlc == 4 && f.DataLength == 0 && f.IsValid);
    }

    [Fact]
    public void Next_SameSeed_SameFrames()
    {
        Take(new GeneratorSettings(), 50, seed: 7).Should().Equal(Take(new GeneratorSettings(), 50, seed: 7));
    }

    [Theory]
    [InlineData(0x800u, false, false, 0, "11-bit")]
    [InlineData(0x123u, false, false, 9, "more than 8 bytes")]
    [InlineData(0x123u, false, true, 9, "not a CAN FD length")]
    public void Validate_BadCombination_SaysWhy(uint id, bool extended, bool fd, int length, string why)
    {
        var settings = new GeneratorSettings { IdMode = GeneratorMode.Fixed, FixedId = id, Extended = extended, Fd = fd, LengthMode = GeneratorMode.Fixed, FixedLength = length };
        settings.Validate().Should().Contain(why);
    }

    [Fact]
    public void Validate_RemoteFd_IsRejected() =>
        new GeneratorSettings { Remote = true, Fd = true }.Validate().Should().Contain("no remote frames");
}
