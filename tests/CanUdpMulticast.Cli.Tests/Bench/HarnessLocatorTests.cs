using CanUdpMulticast.Cli.Bench;

namespace CanUdpMulticast.Cli.Tests.Bench;

/// <summary>Where <c>canudp bench</c> finds the harness it runs as a separate program.</summary>
public sealed class HarnessLocatorTests
{
    [Fact]
    public void Find_InsideTheCheckout_GivesTheBuiltRunner()
    {
        var found = HarnessLocator.Find([AppContext.BaseDirectory]);

        Path.GetFileName(found).Should().Be("CanUdpMulticast.Harness.Runner.dll");
        found.Should().StartWith(Testing.RepositoryRoot.Path);
        File.Exists(found).Should().BeTrue();
    }

    [Fact]
    public void Find_OutsideAnyCheckout_SaysWhereTheHarnessComesFrom()
    {
        var outside = Directory.CreateTempSubdirectory("canudp-no-checkout-").FullName;
        try
        {
            var find = () => HarnessLocator.Find([outside]);

            find.Should().Throw<UsageException>()
                .WithMessage("*does not ship*")
                .And.Message.Should().Contain("scripts/bench.sh").And.Contain(HarnessLocator.Variable);
        }
        finally
        {
            Directory.Delete(outside);
        }
    }
}
