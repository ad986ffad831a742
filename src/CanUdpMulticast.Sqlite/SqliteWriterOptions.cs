namespace CanUdpMulticast.IO.Sqlite;

/// <summary>Options of <see cref="SqliteWriter"/>.</summary>
public sealed record SqliteWriterOptions
{
    /// <summary>The table to write (python-can's <c>table_name</c>, default <c>messages</c>); created if missing, appended to otherwise.</summary>
    public string TableName { get; init; } = SqliteSchema.DefaultTableName;

    /// <summary>
    /// Frames buffered before the background writer commits them without waiting for <see cref="MaxBatchDelay"/>
    /// (python-can: 500).
    /// </summary>
    public int MaxBatchSize { get; init; } = 500;

    /// <summary>
    /// The longest time a frame waits in memory before it is committed (default 250 ms, python-can's
    /// <c>GET_MESSAGE_TIMEOUT</c>). A longer delay gives larger, cheaper transactions on a slow trickle of frames.
    /// </summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromMilliseconds(250);
}
