using CanUdpMulticast.IO.Sqlite;
using Microsoft.Data.Sqlite;

namespace CanUdpMulticast.Sqlite.Tests;

public sealed class SqliteWriterTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("sqlite-writer-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static List<CanMessage> Read(string path, string table = "messages")
    {
        using var reader = new SqliteReader(path, new SqliteReaderOptions { TableName = table });
        return reader.ToList();
    }

    private static CanMessage Frame(int i) => new CanMessage((uint)i, [(byte)i]) { Timestamp = 1_700_000_000 + i };

    [Fact]
    public void Dispose_CommitsEveryQueuedFrame()
    {
        var path = PathOf("all.db");
        using (var writer = new SqliteWriter(path, new SqliteWriterOptions { MaxBatchDelay = TimeSpan.FromHours(1), MaxBatchSize = 1_000_000 }))
        {
            for (var i = 0; i < 2000; i++)
            {
                writer.Write(Frame(i));
            }
        }

        Read(path).Select(m => m.ArbitrationId).Should().Equal(Enumerable.Range(0, 2000).Select(i => (uint)i));
    }

    [Fact]
    public void Flush_CommitsAtOnceAndTheFramesAreReadableWhileTheWriterIsOpen()
    {
        var path = PathOf("flush.db");
        using var writer = new SqliteWriter(path, new SqliteWriterOptions { MaxBatchDelay = TimeSpan.FromHours(1), MaxBatchSize = 1_000_000 });
        writer.Write(Frame(1));
        writer.Write(Frame(2));

        writer.Flush();

        writer.FramesWritten.Should().Be(2);
        Read(path).Select(m => m.ArbitrationId).Should().Equal(1u, 2u);
    }

    [Fact]
    public void Write_BatchSizeReached_CommitsWithoutFlush()
    {
        var path = PathOf("batch.db");
        using var writer = new SqliteWriter(path, new SqliteWriterOptions { MaxBatchDelay = TimeSpan.FromHours(1), MaxBatchSize = 10 });
        for (var i = 0; i < 10; i++)
        {
            writer.Write(Frame(i));
        }

        SpinWait.SpinUntil(() => writer.FramesWritten >= 10, Timeout).Should().BeTrue();
    }

    [Fact]
    public void Write_BatchDelayElapsed_CommitsWithoutFlush()
    {
        var path = PathOf("delay.db");
        using var writer = new SqliteWriter(path, new SqliteWriterOptions { MaxBatchDelay = TimeSpan.FromMilliseconds(20), MaxBatchSize = 1000 });

        writer.Write(Frame(1));

        SpinWait.SpinUntil(() => writer.FramesWritten == 1, Timeout).Should().BeTrue();
    }

    [Fact]
    public void Write_FromSeveralThreads_KeepsEveryFrame()
    {
        var path = PathOf("threads.db");
        using (var writer = new SqliteWriter(path))
        {
            Parallel.For(0, 4, t =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    writer.Write(Frame((t * 1000) + i));
                }
            });
        }

        Read(path).Select(m => m.ArbitrationId).Order().Should().Equal(Enumerable.Range(0, 4000).Select(i => (uint)i));
    }

    [Fact]
    public void Constructor_ExistingTable_AppendsToIt()
    {
        var path = PathOf("append.db");
        using (var writer = new SqliteWriter(path))
        {
            writer.Write(Frame(1));
        }

        using (var writer = new SqliteWriter(path))
        {
            writer.Write(Frame(2));
        }

        Read(path).Select(m => m.ArbitrationId).Should().Equal(1u, 2u);
    }

    [Fact]
    public void Constructor_OtherTableName_WritesThere()
    {
        var path = PathOf("named.db");
        using (var writer = new SqliteWriter(path, new SqliteWriterOptions { TableName = "trace_2" }))
        {
            writer.Write(Frame(3));
        }

        Read(path, "trace_2").Single().ArbitrationId.Should().Be(3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("messages; DROP TABLE x")]
    [InlineData("1abc")]
    [InlineData("a-b")]
    public void Constructor_TableNameNotAnIdentifier_Throws(string table)
    {
        var act = () => new SqliteWriter(PathOf("bad.db"), new SqliteWriterOptions { TableName = table });

        act.Should().Throw<ArgumentException>().WithMessage("*identifier*");
    }

    [Fact]
    public void Constructor_FileIsNotADatabase_ThrowsInvalidData()
    {
        var path = PathOf("text.db");
        File.WriteAllText(path, new string('x', 4096));

        var act = () => new SqliteWriter(path);

        act.Should().Throw<InvalidDataException>().WithMessage("*not an SQLite database*");
    }

    [Fact]
    public void Write_AfterTheBackgroundWriterFailed_ThrowsIOExceptionWithTheCause()
    {
        var path = PathOf("fail.db");
        using var writer = new SqliteWriter(path, new SqliteWriterOptions { MaxBatchDelay = TimeSpan.Zero });
        using (var other = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            other.Open();
            using var drop = other.CreateCommand();
            drop.CommandText = "DROP TABLE messages";
            drop.ExecuteNonQuery();
        }

        writer.Write(Frame(1));
        var act = () => writer.Flush();

        act.Should().Throw<IOException>().WithInnerException<SqliteException>();
        writer.Invoking(w => w.Write(Frame(2))).Should().Throw<IOException>();
    }

    [Fact]
    public void Write_AfterDispose_ThrowsObjectDisposed()
    {
        var writer = new SqliteWriter(PathOf("disposed.db"));
        writer.Dispose();

        writer.Invoking(w => w.Write(Frame(1))).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task DisposeAsync_CommitsEverything()
    {
        var path = PathOf("async.db");
        var writer = new SqliteWriter(path);
        writer.Write(Frame(1));

        await writer.DisposeAsync();

        Read(path).Should().HaveCount(1);
    }
}
