using CanUdpMulticast.Fuzz;

namespace CanUdpMulticast.Fuzz.Tests;

/// <summary>
/// The in-process fuzz mode in the suite: every target, its seed corpus mutated for a fixed number of executions with
/// a fixed seed (repeatable), must neither let an undocumented exception escape nor take a second on one input.
/// scripts/fuzz.sh runs the same targets under afl-fuzz with coverage feedback.
/// </summary>
public sealed class MutationFuzzTests
{
    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_MutatedSeeds_NoCrashOrHang(string name)
    {
        var target = FuzzTargets.Get(name);
        // The file-backed targets (INI, SQLite) cost a file write per execution.
        var iterations = name is "sqlite" or "ini" ? 3_000 : 30_000;

        var report = MutationFuzzer.Run(target, Corpus.Seeds(name), iterations, seed: 20261204, hangThreshold: TimeSpan.FromSeconds(2));

        report.Executions.Should().Be(iterations);
        report.Crashes.Select(c => c.What).Should().BeEmpty(report.ToString());
        report.Hangs.Select(c => c.What).Should().BeEmpty(report.ToString());
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_SeedCorpus_IsInTheRepository(string name)
    {
        Corpus.Seeds(name).Should().NotBeEmpty($"fuzz/corpus/{name} seeds both afl-fuzz and the in-process mode");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_RegressionInputs_PassQuietly(string name)
    {
        var target = FuzzTargets.Get(name);
        foreach (var file in Corpus.Regressions(name))
        {
            var run = () => target.Run(File.ReadAllBytes(file));
            run.Should().NotThrow($"{file} once crashed the {name} target");
        }
    }

    [Fact]
    public void Mutate_SameSeed_SameInputs()
    {
        var seeds = Corpus.Seeds("wire");
        var a = new Random(5);
        var b = new Random(5);

        for (var i = 0; i < 100; i++)
        {
            MutationFuzzer.Mutate(seeds[i % seeds.Count], seeds, a, 4096).Should().Equal(MutationFuzzer.Mutate(seeds[i % seeds.Count], seeds, b, 4096));
        }
    }

    [Fact]
    public void Run_TargetThatThrows_ReportsTheCrashWithItsInput()
    {
        var target = new FuzzTarget("throws-on-ff", "test", data =>
        {
            if (data.Contains((byte)0xff))
            {
                throw new InvalidOperationException("boom");
            }
        });

        var report = MutationFuzzer.Run(target, [[0x00, 0x01, 0x02, 0x03]], 5_000, seed: 3, TimeSpan.FromSeconds(1));

        report.Crashes.Should().NotBeEmpty();
        report.Crashes[0].Input.Should().Contain(0xff);
        report.Crashes[0].What.Should().Contain("boom");
    }
}
