namespace CanUdpMulticast.Sqlite.Tests;

/// <summary>What a frame looks like after a trip through python-can's SQLite table.</summary>
internal static class SqliteExpectations
{
    /// <summary>The table keeps timestamp, id, extended, remote, error, DLC and data; FD is inferred from more than 8 bytes when <paramref name="inferFd"/>.</summary>
    public static CanMessage AfterRoundTrip(in CanMessage m, bool inferFd = true) =>
        new(m.ArbitrationId, m.Data, m.IsExtendedId)
        {
            Timestamp = m.Timestamp,
            IsRemoteFrame = m.IsRemoteFrame,
            IsErrorFrame = m.IsErrorFrame,
            IsFd = inferFd && m.DataLength > CanDlc.MaxClassicLength,
            Dlc = m.Dlc,
        };

    /// <summary>Every field equal, timestamps exactly (the table stores the double).</summary>
    public static void ShouldEqual(IReadOnlyList<CanMessage> actual, IReadOnlyList<CanMessage> expected)
    {
        actual.Should().HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            actual[i].Equals(expected[i]).Should().BeTrue("message {0} should be {1} but is {2}", i, PythonCan.Describe(expected[i]), PythonCan.Describe(actual[i]));
        }
    }
}
