using CanUdpMulticast.IO.Sqlite;
using Microsoft.Data.Sqlite;

namespace CanUdpMulticast.Sqlite.Tests;

public sealed class SqliteReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sqlite-reader-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string CreateDatabase(string name, string rows)
    {
        var path = Path.Combine(_dir, name);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TABLE messages (ts REAL, arbitration_id INTEGER, extended INTEGER, remote INTEGER, error INTEGER, dlc INTEGER, data BLOB); {rows}";
        command.ExecuteNonQuery();
        return path;
    }

    [Fact]
    public void Read_RowsWithNullsAndIntegers_FollowPythonCansDefaults()
    {
        var path = CreateDatabase("nulls.db", "INSERT INTO messages VALUES (NULL, 5, NULL, NULL, NULL, NULL, NULL); INSERT INTO messages VALUES (3, 6, 1, 0, 0, 2, x'0102');");

        using var reader = new SqliteReader(path);
        var frames = reader.ToList();

        frames[0].Should().Be(new CanMessage(5, []) { Dlc = 0 });
        frames[1].Should().Be(new CanMessage(6, [1, 2], isExtendedId: true) { Timestamp = 3.0 });
    }

    [Theory]
    [InlineData("INSERT INTO messages VALUES (1, -1, 0, 0, 0, 0, x'')", "*row 1*arbitration_id -1*")]
    [InlineData("INSERT INTO messages VALUES (1, 1, 0, 0, 0, 0, x''); INSERT INTO messages VALUES (1, 536870912, 1, 0, 0, 0, x'')", "*row 2*arbitration_id*")]
    [InlineData("INSERT INTO messages VALUES (1, 1, 0, 0, 0, 65, x'')", "*row 1*dlc 65*")]
    [InlineData("INSERT INTO messages VALUES (1, 1, 0, 0, 0, 8, zeroblob(65))", "*row 1*65 bytes*")]
    public void Read_RowThatIsNoFrame_ThrowsWithTheRowNumber(string rows, string message)
    {
        var path = CreateDatabase("bad.db", rows);
        using var reader = new SqliteReader(path);

        var act = () => reader.ToList();

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Constructor_MissingFile_ThrowsFileNotFound()
    {
        var act = () => new SqliteReader(Path.Combine(_dir, "missing.db"));

        act.Should().Throw<FileNotFoundException>();
        File.Exists(Path.Combine(_dir, "missing.db")).Should().BeFalse("reading must not create the file");
    }

    [Fact]
    public void Constructor_NoSuchTable_ThrowsInvalidData()
    {
        var path = CreateDatabase("other.db", string.Empty);

        var act = () => new SqliteReader(path, new SqliteReaderOptions { TableName = "frames" });

        act.Should().Throw<InvalidDataException>().WithMessage("*no table 'frames'*");
    }

    [Fact]
    public void Constructor_NotADatabase_ThrowsInvalidData()
    {
        var path = Path.Combine(_dir, "text.db");
        File.WriteAllText(path, new string('x', 4096));

        var act = () => new SqliteReader(path);

        act.Should().Throw<InvalidDataException>();
    }

    [Fact]
    public async Task ReadAsync_EqualsSyncAndCanBeRepeated()
    {
        var path = Path.Combine(_dir, "async.db");
        using (var writer = new SqliteWriter(path))
        {
            foreach (var m in LogTestMessages.All)
            {
                writer.Write(m);
            }
        }

        await using var reader = new SqliteReader(path);
        var asyncFrames = new List<CanMessage>();
        await foreach (var m in reader)
        {
            asyncFrames.Add(m);
        }

        asyncFrames.Should().Equal(reader.ToList());
        asyncFrames.Should().HaveCount(LogTestMessages.All.Count);
    }
}
