using System.Text;
using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Blf;
using CanUdpMulticast.Registry;

namespace CanUdpMulticast.Fuzz.Tests;

/// <summary>Crashes the fuzzers found, each held to the parser's documented error (inputs in fuzz/regressions/).</summary>
public sealed class FuzzRegressionTests
{
    private static string Regression(string target, string name) => Path.Combine(Corpus.FuzzFolder(), "regressions", target, name);

    [Theory]
    [InlineData("zlib-exception")]
    [InlineData("zlib-unsupported-method")]
    public void BlfReader_CorruptZlibContainer_ThrowsBlfFormatException(string name)
    {
        // Found by the mutation fuzzer: zlib's own ZLibException / an InvalidDataException escaped the reader.
        using var reader = new BlfReader(new MemoryStream(File.ReadAllBytes(Regression("blf", name))));

        var read = () => reader.ToList();

        read.Should().Throw<BlfFormatException>().WithMessage("*corrupt zlib stream*");
    }

    [Fact]
    public void Load_CanConfigWithEmptyKey_ThrowsCanInitializationException()
    {
        // Found by the mutation fuzzer: an ArgumentException from BusConfiguration.Set escaped the loader.
        var json = Encoding.UTF8.GetString(File.ReadAllBytes(Regression("canconfig", "empty-key.json")));
        var loader = new BusConfigurationLoader { GetEnvironmentVariable = n => n == "CAN_CONFIG" ? json : null, ConfigFiles = [] };

        var load = () => loader.Load();

        load.Should().Throw<CanInitializationException>().WithMessage("*CAN_CONFIG*empty key*");
    }

    [Theory]
    [InlineData(".asc", "asc")]
    [InlineData(".blf", "blf")]
    [InlineData(".trc", "trc")]
    [InlineData(".csv", "csv")]
    [InlineData(".log", "candump")]
    public void LogSeeds_ReadThroughTheFactory_YieldFrames(string extension, string target)
    {
        // The harness reaches the parser only if the seeds are real files of the format.
        foreach (var seed in Corpus.Seeds(target))
        {
            using var reader = CanLogFormatRegistry.Default.Find(extension)!.OpenReader(new MemoryStream(seed));
            reader.ToList().Should().NotBeEmpty();
        }
    }
}
