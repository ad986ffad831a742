using CanUdpMulticast.IO.Sqlite;
using Microsoft.Data.Sqlite;

namespace CanUdpMulticast.Sqlite.Tests;

/// <summary>Cross-checks with python-can 4.1.0's SqliteReader and SqliteWriter.</summary>
public sealed class SqlitePythonCanInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sqlite-interop-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [SkippableFact]
    public void SqliteWriter_DatabaseReadByPythonCan_EveryFieldPythonCanKeepsIsEqual()
    {
        PythonCan.Require();
        var path = Path.Combine(_dir, "ours.db");
        using (var writer = new SqliteWriter(path))
        {
            foreach (var m in LogTestMessages.All)
            {
                writer.Write(m);
            }
        }

        var read = PythonCan.Read("sqlite", path);

        SqliteExpectations.ShouldEqual(read, LogTestMessages.All.Select(m => SqliteExpectations.AfterRoundTrip(m, inferFd: false)).ToList());
    }

    [SkippableFact]
    public void SqliteReader_DatabaseWrittenByPythonCan_EqualsTheMessagesAndPythonCansOwnReading()
    {
        PythonCan.Require();
        var path = Path.Combine(_dir, "theirs.db");
        PythonCan.Write("sqlite", path, LogTestMessages.All);

        List<CanMessage> exact, inferred;
        using (var reader = new SqliteReader(path, new SqliteReaderOptions { InferFd = false }))
        {
            exact = reader.ToList();
        }

        using (var reader = new SqliteReader(path))
        {
            inferred = reader.ToList();
        }

        SqliteExpectations.ShouldEqual(exact, PythonCan.Read("sqlite", path));
        SqliteExpectations.ShouldEqual(exact, LogTestMessages.All.Select(m => SqliteExpectations.AfterRoundTrip(m, inferFd: false)).ToList());
        SqliteExpectations.ShouldEqual(inferred, LogTestMessages.All.Select(m => SqliteExpectations.AfterRoundTrip(m)).ToList());
    }

    [SkippableFact]
    public void SqliteWriter_CreatesTheSameColumnsAsPythonCan()
    {
        PythonCan.Require();
        var theirs = Path.Combine(_dir, "schema-theirs.db");
        var ours = Path.Combine(_dir, "schema-ours.db");
        PythonCan.Write("sqlite", theirs, LogTestMessages.All.Take(1).ToList());
        using (var writer = new SqliteWriter(ours))
        {
            writer.Write(LogTestMessages.All[0]);
        }

        Columns(ours).Should().Equal(Columns(theirs));
        Columns(ours).Should().Equal("ts REAL", "arbitration_id INTEGER", "extended INTEGER", "remote INTEGER", "error INTEGER", "dlc INTEGER", "data BLOB");
        StoredTypes(ours).Should().Equal(StoredTypes(theirs), "values are stored with the same SQLite types");
    }

    private static List<string> Columns(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA table_info(messages)";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add($"{reader.GetString(1)} {reader.GetString(2)}");
        }

        return columns;
    }

    private static List<string> StoredTypes(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT typeof(ts), typeof(arbitration_id), typeof(extended), typeof(remote), typeof(error), typeof(dlc), typeof(data) FROM messages";
        using var reader = command.ExecuteReader();
        var types = new List<string>();
        while (reader.Read())
        {
            types.Add(string.Join(',', Enumerable.Range(0, 7).Select(reader.GetString)));
        }

        return types;
    }
}
