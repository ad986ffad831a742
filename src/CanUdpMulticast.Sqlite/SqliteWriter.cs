using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace CanUdpMulticast.IO.Sqlite;

/// <summary>
/// Writes frames to an SQLite database in python-can's layout (python-can 4.1.0's <c>SqliteWriter</c>): a table
/// <c>messages (ts REAL, arbitration_id INTEGER, extended INTEGER, remote INTEGER, error INTEGER, dlc INTEGER, data BLOB)</c>,
/// created if missing and appended to otherwise. A background thread inserts the frames in batches, one
/// transaction per batch, so <see cref="Write"/> only queues.
/// </summary>
/// <remarks>
/// <para>A batch is committed when <see cref="SqliteWriterOptions.MaxBatchSize"/> frames are queued or the oldest
/// queued frame has waited <see cref="SqliteWriterOptions.MaxBatchDelay"/>; <see cref="Flush"/> commits at once and
/// waits for it; disposal commits everything queued and closes the database (python-can's <c>stop()</c>).</para>
/// <para>What the table cannot carry: the channel, the direction, the CAN FD flag (a reader can infer it from more than
/// 8 data bytes), bitrate switch and error state indicator.</para>
/// <para>Dispose the writer: the background thread does not keep the process alive, so frames still queued when
/// the process ends without disposal are lost.</para>
/// <para>The queue is unbounded (as python-can's): if the disk is slower than the bus, memory grows. If the
/// background thread fails (disk full, database locked), the error is thrown by the next <see cref="Write"/>,
/// <see cref="Flush"/> or <see cref="Dispose"/>; frames queued then are lost. Thread-safe.</para>
/// </remarks>
public sealed class SqliteWriter : ICanLogWriter
{
    private static readonly object[] Booleans = [0L, 1L];
    private static readonly object[] Lengths = Enumerable.Range(0, CanDlc.MaxFdLength + 1).Select(i => (object)(long)i).ToArray();

    private readonly SqliteConnection _connection;
    private readonly string _table;
    private readonly int _maxBatchSize;
    private readonly long _maxBatchDelayTicks;
    private readonly Thread _thread;
    private readonly object _lock = new();

    // Double-buffered queue: Write appends to _pending; the thread swaps it with _batch and inserts that.
    private List<CanMessage> _pending = [];
    private List<CanMessage> _batch = [];
    private long _queued;
    private long _written;
    private long _flushTarget;
    private bool _stopping;
    private bool _disposed;
    private Exception? _failure;
    private bool _failureReported;

    /// <summary>Opens (or creates) the database, creates the table if missing and starts the background writer.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The table name is not an identifier, or a batch option is out of range.</exception>
    /// <exception cref="InvalidDataException">The file exists but is not an SQLite database.</exception>
    /// <exception cref="IOException">The database cannot be created.</exception>
    public SqliteWriter(string path, SqliteWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new SqliteWriterOptions();
        _table = SqliteSchema.CheckTableName(options.TableName, nameof(options));
        if (options.MaxBatchSize < 1)
        {
            throw new ArgumentException($"MaxBatchSize must be at least 1, not {options.MaxBatchSize}.", nameof(options));
        }

        if (options.MaxBatchDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxBatchDelay must not be negative, not {options.MaxBatchDelay}.", nameof(options));
        }

        _maxBatchSize = options.MaxBatchSize;
        _maxBatchDelayTicks = (long)(options.MaxBatchDelay.TotalSeconds * Stopwatch.Frequency);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.Open();
            using var create = _connection.CreateCommand();
            create.CommandText = SqliteSchema.CreateTable(_table);
            create.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw e.SqliteErrorCode == 26 // SQLITE_NOTADB
                ? new InvalidDataException($"'{path}' is not an SQLite database: {e.Message}", e)
                : new IOException($"Cannot open the SQLite log '{path}': {e.Message}", e);
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "CanUdpMulticast SqliteWriter" };
        _thread.Start();
    }

    /// <summary>The number of frames committed to the database so far (python-can's <c>num_frames</c>).</summary>
    public long FramesWritten => Interlocked.Read(ref _written);

    /// <summary>Queues one frame for the background writer.</summary>
    /// <param name="message">The frame.</param>
    /// <exception cref="ObjectDisposedException">The writer is closed.</exception>
    /// <exception cref="IOException">The background writer failed; the inner exception says why.</exception>
    public void Write(in CanMessage message)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfFailed();
            _pending.Add(message);
            _queued++;
            if (_pending.Count == 1 || _pending.Count == _maxBatchSize)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <inheritdoc cref="Write"/>
    public void OnMessageReceived(in CanMessage message) => Write(message);

    /// <summary>Commits every frame queued so far and waits until it is in the database.</summary>
    /// <exception cref="ObjectDisposedException">The writer is closed.</exception>
    /// <exception cref="IOException">The background writer failed; the inner exception says why.</exception>
    public void Flush()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            WaitForCommit();
        }
    }

    /// <summary>Commits everything queued and closes the database (python-can's <c>stop()</c>).</summary>
    public void Stop() => Dispose();

    /// <summary>Commits everything queued, stops the background writer and closes the database.</summary>
    /// <exception cref="IOException">The background writer failed and no earlier call reported it; the inner exception says why.</exception>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stopping = true;
            Monitor.PulseAll(_lock);
        }

        _thread.Join();
        _connection.Dispose();
        lock (_lock)
        {
            if (!_failureReported)
            {
                ThrowIfFailed();
            }
        }
    }

    /// <summary>Commits everything queued, stops the background writer and closes the database (waits on a thread-pool thread).</summary>
    /// <returns>A task that completes when the database is closed.</returns>
    public async ValueTask DisposeAsync() => await Task.Run(Dispose).ConfigureAwait(false);

    private void WaitForCommit()
    {
        var target = _queued;
        _flushTarget = Math.Max(_flushTarget, target);
        Monitor.PulseAll(_lock);
        while (_written < target && _failure is null)
        {
            Monitor.Wait(_lock);
        }

        ThrowIfFailed();
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            _failureReported = true;
            throw new IOException($"The SQLite log writer failed; frames queued since the last commit are lost: {failure.Message}", failure);
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Reported to the caller by the next Write/Flush/Dispose.")]
    private void Run()
    {
        try
        {
            using var insert = _connection.CreateCommand();
            insert.CommandText = SqliteSchema.Insert(_table);
            var ts = insert.Parameters.Add("$ts", SqliteType.Real);
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            var extended = insert.Parameters.Add("$extended", SqliteType.Integer);
            var remote = insert.Parameters.Add("$remote", SqliteType.Integer);
            var error = insert.Parameters.Add("$error", SqliteType.Integer);
            var dlc = insert.Parameters.Add("$dlc", SqliteType.Integer);
            var data = insert.Parameters.Add("$data", SqliteType.Blob);

            // One reusable array per data length: parameters are bound (copied) when the command executes.
            var arrays = Enumerable.Range(0, CanDlc.MaxFdLength + 1).Select(n => new byte[n]).ToArray();
            while (TakeBatch())
            {
                using (var transaction = _connection.BeginTransaction())
                {
                    insert.Transaction = transaction;
                    foreach (var m in _batch)
                    {
                        ts.Value = m.Timestamp;
                        id.Value = (long)m.ArbitrationId;
                        extended.Value = Booleans[m.IsExtendedId ? 1 : 0];
                        remote.Value = Booleans[m.IsRemoteFrame ? 1 : 0];
                        error.Value = Booleans[m.IsErrorFrame ? 1 : 0];
                        dlc.Value = Lengths[m.Dlc];
                        var bytes = arrays[m.DataLength];
                        m.Data.CopyTo(bytes);
                        data.Value = bytes;
                        insert.ExecuteNonQuery();
                    }

                    transaction.Commit();
                }

                lock (_lock)
                {
                    _written += _batch.Count;
                    _batch.Clear();
                    Monitor.PulseAll(_lock);
                }
            }
        }
        catch (Exception e)
        {
            // An exception escaping this thread would end the process: keep it for the next call instead.
            lock (_lock)
            {
                _failure = e;
                Monitor.PulseAll(_lock);
            }
        }
    }

    // Waits for a batch and swaps it into _batch; false when stopping with nothing left.
    private bool TakeBatch()
    {
        lock (_lock)
        {
            while (_pending.Count == 0)
            {
                if (_stopping)
                {
                    return false;
                }

                Monitor.Wait(_lock);
            }

            // Let the batch grow until it is full, old enough, flushed or the writer stops.
            var deadline = Stopwatch.GetTimestamp() + _maxBatchDelayTicks;
            while (_pending.Count < _maxBatchSize && !_stopping && _flushTarget <= _written)
            {
                var left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0)
                {
                    break;
                }

                Monitor.Wait(_lock, TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
            }

            (_pending, _batch) = (_batch, _pending);
            return true;
        }
    }
}
