using System.Buffers.Binary;
using System.Text;
using CanUdpMulticast.IO.Sqlite;
using Microsoft.Data.Sqlite;

namespace CanUdpMulticast.Fuzz;

/// <summary>
/// The SQLite target: the input is a list of cells (a type byte, then the value) filling rows of python-can's
/// seven-column table, so every column gets NULLs, integers, reals, text and blobs of any size. The SQLite engine
/// itself is not the subject; the reader's handling of what a hostile file's rows can hold is.
/// </summary>
internal static class SqliteRows
{
    private const int MaxRows = 64;

    public static void Run(byte[] data)
    {
        var path = ScratchFile.Path("fuzz.db");
        Write(path, data);
        try
        {
            using var reader = new SqliteReader(path);
            foreach (var message in reader)
            {
                GC.KeepAlive(message.ToString());
            }
        }
        catch (InvalidDataException)
        {
            // The documented rejection of a row no frame can have.
        }
    }

    // One writing connection per process, kept open: recreating the file each execution costs 10 ms.
    private static SqliteConnection? _writer;

    private static void Write(string path, byte[] data)
    {
        var connection = _writer ??= Open(path);
        using (var clear = connection.CreateCommand())
        {
            clear.CommandText = "DELETE FROM messages";
            clear.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO messages VALUES ($c0, $c1, $c2, $c3, $c4, $c5, $c6)";
        var parameters = new SqliteParameter[7];
        for (var c = 0; c < parameters.Length; c++)
        {
            parameters[c] = insert.Parameters.Add("$c" + c, SqliteType.Blob);
        }

        var position = 0;
        for (var row = 0; row < MaxRows && position < data.Length; row++)
        {
            for (var c = 0; c < parameters.Length; c++)
            {
                parameters[c].SqliteType = SqliteType.Text;
                parameters[c].Value = NextCell(data, ref position, parameters[c]);
            }

            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static SqliteConnection Open(string path)
    {
        File.Delete(path);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
            + "CREATE TABLE messages (ts REAL, arbitration_id INTEGER, extended INTEGER, remote INTEGER, error INTEGER, dlc INTEGER, data BLOB)";
        create.ExecuteNonQuery();
        return connection;
    }

    private static object NextCell(byte[] data, ref int position, SqliteParameter parameter)
    {
        if (position >= data.Length)
        {
            return DBNull.Value;
        }

        var kind = data[position++] % 6;
        var rest = data.AsSpan(position);
        switch (kind)
        {
            case 0:
                return DBNull.Value;
            case 1 when rest.Length >= 8:
                position += 8;
                parameter.SqliteType = SqliteType.Integer;
                return BinaryPrimitives.ReadInt64LittleEndian(rest);
            case 2 when rest.Length >= 8:
                position += 8;
                parameter.SqliteType = SqliteType.Real;
                var real = BinaryPrimitives.ReadDoubleLittleEndian(rest);

                // SQLite keeps no NaN (it stores NULL); Microsoft.Data.Sqlite refuses to pass one.
                return double.IsNaN(real) ? DBNull.Value : real;
            case 3 when rest.Length >= 1:
            {
                var length = Math.Min(rest[0], rest.Length - 1);
                position += 1 + length;
                parameter.SqliteType = SqliteType.Text;
                return Encoding.UTF8.GetString(rest.Slice(1, length));
            }

            case 4 when rest.Length >= 1:
            {
                var length = Math.Min(rest[0], rest.Length - 1);
                position += 1 + length;
                parameter.SqliteType = SqliteType.Blob;
                return rest.Slice(1, length).ToArray();
            }

            default:
                // A small integer: the values a column usually holds (flags, DLC, ids).
                if (rest.Length >= 1)
                {
                    position++;
                    parameter.SqliteType = SqliteType.Integer;
                    return (long)(sbyte)rest[0];
                }

                return DBNull.Value;
        }
    }
}
