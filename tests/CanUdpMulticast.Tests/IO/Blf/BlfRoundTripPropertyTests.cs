using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Blf;
using CsCheck;

namespace CanUdpMulticast.Tests.IO.Blf;

/// <summary>Random valid frames through <see cref="BlfWriter"/> and <see cref="BlfReader"/> with random options.</summary>
public sealed class BlfRoundTripPropertyTests
{
    [Fact]
    public void WriteThenRead_RandomFramesAndOptions_GivesEveryFrameBack()
    {
        var options = Gen.Select(LogFrameGenerators.Pick(-1, 0, 1, 9), LogFrameGenerators.Pick(1024, 1500, 128 * 1024), Gen.Bool, Gen.Int[0, 4], (level, size, fd64, channel) =>
            new BlfWriterOptions { CompressionLevel = level, MaxContainerSize = size, UseCanFdMessage64 = fd64, DefaultChannel = channel });

        Gen.Select(LogFrameGenerators.Frames, options).Sample((frames, writerOptions) =>
        {
            using var buffer = new MemoryStream();
            using (var writer = new BlfWriter(CanLogFile.FromStream(buffer, leaveOpen: true), writerOptions))
            {
                foreach (var m in frames)
                {
                    writer.Write(m);
                }
            }

            using var reader = new BlfReader(new MemoryStream(buffer.ToArray()));
            var read = reader.ToList();
            reader.Header.ObjectCount.Should().Be((uint)frames.Count);
            BlfExpectations.ShouldMatch(read, frames.Select(m => BlfExpectations.AfterRoundTrip(m, writerOptions.DefaultChannel)).ToList(), 1e-6);
        }, iter: 300);
    }
}
