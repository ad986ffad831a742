using CanUdpMulticast.IO.Sqlite;
using CsCheck;
using Microsoft.Data.Sqlite;

namespace CanUdpMulticast.Sqlite.Tests;

public sealed class SqliteRoundTripPropertyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sqlite-property-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void WriteThenRead_RandomFrames_GivesEveryStoredFieldBack()
    {
        var n = 0;
        Gen.Select(LogFrameGenerators.Frames, Gen.Int[1, 50]).Sample((frames, batch) =>
        {
            var path = Path.Combine(_dir, $"p{Interlocked.Increment(ref n)}.db");
            using (var writer = new SqliteWriter(path, new SqliteWriterOptions { MaxBatchSize = batch }))
            {
                foreach (var m in frames)
                {
                    writer.Write(m);
                }
            }

            using var reader = new SqliteReader(path);
            SqliteExpectations.ShouldEqual(reader.ToList(), frames.Select(m => SqliteExpectations.AfterRoundTrip(m)).ToList());
        }, iter: 60, threads: 1);
    }
}
