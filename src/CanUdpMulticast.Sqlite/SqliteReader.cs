using System.Collections;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace CanUdpMulticast.IO.Sqlite;

/// <summary>
/// Reads frames from an SQLite database in python-can's layout (python-can 4.1.0's <c>SqliteReader</c>): rows of
/// <c>ts REAL, arbitration_id INTEGER, extended INTEGER, remote INTEGER, error INTEGER, dlc INTEGER, data BLOB</c>
/// from the table <c>messages</c>, in table order, streamed from a database cursor.
/// </summary>
/// <remarks>
/// <para>The table has no column for the channel, the direction, CAN FD, bitrate switch or error state indicator:
/// frames read back have no channel, are received frames, and have BRS/ESI off. Frames with more than 8 data bytes
/// are marked CAN FD unless <see cref="SqliteReaderOptions.InferFd"/> is off (python-can leaves them classic).</para>
/// <para>Each enumeration runs the query again. Asynchronous enumeration is offered for the interface; SQLite
/// itself works synchronously. Not thread-safe.</para>
/// </remarks>
public sealed class SqliteReader : ICanLogReader
{
    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly string _table;
    private readonly bool _inferFd;
    private bool _disposed;

    /// <summary>Opens a database read-only and checks that the table exists.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The table name is not an identifier.</exception>
    /// <exception cref="InvalidDataException">The file is not an SQLite database, or it has no such table.</exception>
    public SqliteReader(string path, SqliteReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new SqliteReaderOptions();
        _table = SqliteSchema.CheckTableName(options.TableName, nameof(options));
        _inferFd = options.InferFd;
        _path = path;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The SQLite log '{path}' does not exist.", path);
        }

        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.Open();
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name COLLATE NOCASE";
            command.Parameters.AddWithValue("$name", _table);
            if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                throw new InvalidDataException($"The SQLite database '{path}' has no table '{_table}' (python-can's layout stores frames in a table 'messages').");
            }
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new InvalidDataException($"'{path}' cannot be read as an SQLite database: {e.Message}", e);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>Enumerates the frames in table order.</summary>
    /// <returns>The frames.</returns>
    /// <exception cref="InvalidDataException">(While enumerating) a row holds a value no frame can have; the message names the row.</exception>
    public IEnumerator<CanMessage> GetEnumerator()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var command = _connection.CreateCommand();
        command.CommandText = SqliteSchema.SelectAll(_table);
        using var reader = command.ExecuteReader();
        CheckColumns(reader);
        var buffer = new byte[CanDlc.MaxFdLength];
        long row = 0;
        while (reader.Read())
        {
            row++;
            yield return ToMessage(reader, buffer, row);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates the frames in table order (SQLite executes synchronously underneath).</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The frames.</returns>
    public IAsyncEnumerator<CanMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default) => ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>Closes the database.</summary>
    public void Dispose()
    {
        _disposed = true;
        _connection.Dispose();
    }

    /// <summary>Closes the database.</summary>
    /// <returns>A task that completes when the database is closed.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async IAsyncEnumerable<CanMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var command = _connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = SqliteSchema.SelectAll(_table);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                CheckColumns(reader);
                var buffer = new byte[CanDlc.MaxFdLength];
                long row = 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    row++;
                    yield return ToMessage(reader, buffer, row);
                }
            }
        }
    }

    private void CheckColumns(SqliteDataReader reader)
    {
        if (reader.FieldCount < SqliteSchema.ColumnCount)
        {
            throw new InvalidDataException(
                $"The table '{_table}' in '{_path}' has {reader.FieldCount} columns; python-can's layout has 7 (ts, arbitration_id, extended, remote, error, dlc, data).");
        }
    }

    private CanMessage ToMessage(SqliteDataReader reader, byte[] buffer, long row)
    {
        var timestamp = reader.IsDBNull(0) ? 0.0 : reader.GetDouble(0);
        var id = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
        if (id is < 0 or > 0x1FFF_FFFF)
        {
            throw BadRow(row, $"arbitration_id {id} is not a CAN id (0..0x1FFFFFFF)");
        }

        var dlc = reader.IsDBNull(5) ? 0 : reader.GetInt64(5);
        if (dlc is < 0 or > CanDlc.MaxFdLength)
        {
            throw BadRow(row, $"dlc {dlc} is outside 0..64");
        }

        var length = 0;
        if (!reader.IsDBNull(6))
        {
            var size = reader.GetBytes(6, 0, null, 0, 0);
            if (size > CanDlc.MaxFdLength)
            {
                throw BadRow(row, $"data has {size} bytes, more than the 64 of a CAN FD frame");
            }

            length = (int)reader.GetBytes(6, 0, buffer, 0, (int)size);
        }

        return new CanMessage((uint)id, buffer.AsSpan(0, length), Flag(reader, 2))
        {
            Timestamp = timestamp,
            IsRemoteFrame = Flag(reader, 3),
            IsErrorFrame = Flag(reader, 4),
            IsFd = _inferFd && length > CanDlc.MaxClassicLength,
            Dlc = (int)dlc,
        };
    }

    private static bool Flag(SqliteDataReader reader, int ordinal) => !reader.IsDBNull(ordinal) && reader.GetInt64(ordinal) != 0;

    private InvalidDataException BadRow(long row, string what) => new($"Row {row} of table '{_table}' in '{_path}' is not a valid frame: {what}.");
}
