namespace CanUdpMulticast.IO.Sqlite;

/// <summary>python-can 4.1.0's table layout (<c>can/io/sqlite.py</c>).</summary>
internal static class SqliteSchema
{
    public const string DefaultTableName = "messages";

    public const int ColumnCount = 7;

    /// <summary>Checks that a table name is a plain identifier, so it can go into SQL text unescaped like python-can's.</summary>
    public static string CheckTableName(string? tableName, string paramName)
    {
        if (string.IsNullOrEmpty(tableName) || !(char.IsAsciiLetter(tableName[0]) || tableName[0] == '_')
            || !tableName.AsSpan().ContainsOnlyAsciiLettersDigitsOrUnderscore())
        {
            throw new ArgumentException($"The table name '{tableName}' must be an identifier: ASCII letters, digits and '_', not starting with a digit.", paramName);
        }

        return tableName;
    }

    public static string CreateTable(string table) =>
        $"CREATE TABLE IF NOT EXISTS {table} (ts REAL, arbitration_id INTEGER, extended INTEGER, remote INTEGER, error INTEGER, dlc INTEGER, data BLOB)";

    public static string Insert(string table) => $"INSERT INTO {table} VALUES ($ts, $id, $extended, $remote, $error, $dlc, $data)";

    public static string SelectAll(string table) => $"SELECT * FROM {table}";

    private static bool ContainsOnlyAsciiLettersDigitsOrUnderscore(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
