namespace CanUdpMulticast.Dbc;

/// <summary>An inclusive range of multiplexer switch values (raw) for which a multiplexed signal is present.</summary>
/// <param name="Minimum">The smallest switch value.</param>
/// <param name="Maximum">The largest switch value.</param>
public readonly record struct DbcMultiplexRange(ulong Minimum, ulong Maximum)
{
    /// <summary>Whether <paramref name="value"/> lies in the range.</summary>
    /// <param name="value">A raw switch value.</param>
    /// <returns><see langword="true"/> when <c>Minimum &lt;= value &lt;= Maximum</c>.</returns>
    public bool Contains(ulong value) => value >= Minimum && value <= Maximum;
}
