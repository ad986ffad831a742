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

    [Fact]
    public void CreateWriter_WithSqliteFormatOptions_WritesTheNamedTable()
    {
        var registry = new CanLogFormatRegistry();
        SqliteLogFormat.Register(registry);
        var path = Path.Combine(_directory, "named.db");

        using (var writer = registry.CreateWriter(path, new CanLogWriterOptions { FormatOptions = new SqliteWriterOptions { TableName = "frames" } }))
        {
            writer.Write(new CanMessage(0x321, [9]) { Timestamp = 1.5 });
        }

        using var direct = new SqliteReader(path, new SqliteReaderOptions { TableName = "frames" });
        direct.Should().ContainSingle();
        var defaultTable = () => new SqliteReader(path);
        defaultTable.Should().Throw<InvalidDataException>("the frames went to 'frames', not to the default table 'messages'");
    }

    [Fact]
    public void OpenReader_WithSqliteFormatOptions_ReadsTheNamedTableAsAsked()
    {
        var registry = new CanLogFormatRegistry();
        SqliteLogFormat.Register(registry);
        var path = Path.Combine(_directory, "fd.db");
        using (var writer = new SqliteWriter(path, new SqliteWriterOptions { TableName = "frames" }))
        {
            writer.Write(new CanMessage(0x321, new byte[12]) { Timestamp = 1.5, IsFd = true });
        }

        using var reader = registry.OpenReader(path, new CanLogReaderOptions { FormatOptions = new SqliteReaderOptions { TableName = "frames", InferFd = false } });

        reader.Single().IsFd.Should().BeFalse("InferFd = false arrived (python-can's exact result)");
        var withoutOptions = () => registry.OpenReader(path);
        withoutOptions.Should().Throw<InvalidDataException>("without the options the reader looks for 'messages'");
    }
}
