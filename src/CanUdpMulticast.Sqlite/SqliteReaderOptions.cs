namespace CanUdpMulticast.IO.Sqlite;

/// <summary>Options of <see cref="SqliteReader"/>.</summary>
public sealed record SqliteReaderOptions
{
    /// <summary>The table to read (python-can's <c>table_name</c>, default <c>messages</c>); an identifier of ASCII letters, digits and '_'.</summary>
    public string TableName { get; init; } = SqliteSchema.DefaultTableName;

    /// <summary>
    /// Marks frames with more than 8 data bytes as CAN FD (default <see langword="true"/>). The table has no FD
    /// column, so python-can reads such frames as classic frames with <c>is_fd=False</c>, which no bus accepts;
    /// set this to <see langword="false"/> for python-can's exact result.
    /// </summary>
    public bool InferFd { get; init; } = true;
}
