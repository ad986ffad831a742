namespace CanUdpMulticast;

/// <summary>
/// The live, thread-safe counters behind <see cref="CanBus.Statistics"/>. The base class counts sends, receives and
/// filtered frames itself; backends add drops and malformed frames through <c>CanBus.CountDropped</c>/<c>CountMalformed</c>.
/// </summary>
internal sealed class CanBusCounters
{
    private long _sent;
    private long _received;
    private long _filteredOut;
    private long _dropped;
    private long _malformed;

    /// <summary>Adds <paramref name="count"/> sent frames.</summary>
    /// <param name="count">How many.</param>
    public void AddSent(long count = 1) => Interlocked.Add(ref _sent, count);

    /// <summary>Adds <paramref name="count"/> frames returned to the application.</summary>
    /// <param name="count">How many.</param>
    public void AddReceived(long count = 1) => Interlocked.Add(ref _received, count);

    /// <summary>Adds <paramref name="count"/> frames rejected by filters.</summary>
    /// <param name="count">How many.</param>
    public void AddFilteredOut(long count = 1) => Interlocked.Add(ref _filteredOut, count);

    /// <summary>Adds <paramref name="count"/> frames lost to a full queue.</summary>
    /// <param name="count">How many.</param>
    public void AddDropped(long count = 1) => Interlocked.Add(ref _dropped, count);

    /// <summary>Adds <paramref name="count"/> malformed datagrams or invalid frames.</summary>
    /// <param name="count">How many.</param>
    public void AddMalformed(long count = 1) => Interlocked.Add(ref _malformed, count);

    /// <summary>Reads all counters.</summary>
    /// <returns>The snapshot.</returns>
    public CanBusStatistics Snapshot() => new(
        Interlocked.Read(ref _sent),
        Interlocked.Read(ref _received),
        Interlocked.Read(ref _filteredOut),
        Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _malformed));
}
