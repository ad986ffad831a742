using CanUdpMulticast.IO;
using CanUdpMulticast.IO.Sqlite;

namespace CanUdpMulticast.Sqlite.Tests;

public sealed class SqliteLogFormatTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sqlite-factory-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Register_ThenCreateAndOpenDb_RoundTripsThroughTheFactory()
    {
        var registry = new CanLogFormatRegistry();
        registry.ReadableExtensions.Should().NotContain(".db", "SQLite is a separate package that registers itself");
        SqliteLogFormat.Register(registry);
        var path = Path.Combine(_directory, "trace.db");

        using (var writer = registry.CreateWriter(path))
        {
            writer.Write(new CanMessage(0x321, [9, 8, 7]) { Timestamp = 12.5 });
        }

        using var reader = registry.OpenReader(path);
        var read = reader.ToList();
        read.Should().ContainSingle();
        read[0].IsEquivalentTo(new CanMessage(0x321, [9, 8, 7]) { Timestamp = 12.5 }, checkChannel: false).Should().BeTrue(read[0].ToString());
    }
}
