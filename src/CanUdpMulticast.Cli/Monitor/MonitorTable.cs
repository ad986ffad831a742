namespace CanUdpMulticast.Cli.Monitor;

/// <summary>
/// What <c>monitor</c> shows, like python-can's can.viewer: one row per arbitration id (standard and extended ids
/// apart) with the frame count, the mean period, and the last data with the bytes that changed from the frame
/// before. Thread-safe: the receive loop adds, the view takes snapshots.
/// </summary>
internal sealed class MonitorTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(uint Id, bool Extended), Entry> _entries = [];
    private long _total;

    /// <summary>All frames seen.</summary>
    public long Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Adds a received frame.</summary>
    /// <param name="message">The frame.</param>
    public void Add(in CanMessage message)
    {
        var key = (message.ArbitrationId, message.IsExtendedId);
        lock (_gate)
        {
            _total++;
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry { FirstTimestamp = message.Timestamp };
                _entries[key] = entry;
                entry.Changed = message.DataLength == 0 ? 0 : ulong.MaxValue >> (64 - message.DataLength);
            }
            else
            {
                var data = message.Data;
                ulong changed = 0;
                for (var i = 0; i < data.Length; i++)
                {
                    if (i >= entry.Length || entry.Data[i] != data[i])
                    {
                        changed |= 1UL << i;
                    }
                }

                entry.Changed = changed;
            }

            entry.Count++;
            entry.LastTimestamp = message.Timestamp;
            message.Data.CopyTo(entry.Data);
            entry.Length = message.DataLength;
            entry.Dlc = message.Dlc;
            entry.Remote = message.IsRemoteFrame;
            entry.Fd = message.IsFd;
            entry.Error = message.IsErrorFrame;
        }
    }

    /// <summary>The rows sorted by id (standard ids first).</summary>
    /// <returns>The snapshot.</returns>
    public IReadOnlyList<MonitorRow> Snapshot()
    {
        lock (_gate)
        {
            return
            [
                .. _entries
                    .OrderBy(e => e.Key.Extended)
                    .ThenBy(e => e.Key.Id)
                    .Select(e => new MonitorRow(
                        e.Key.Id,
                        e.Key.Extended,
                        e.Value.Count,
                        e.Value.Count >= 2 ? TimeSpan.FromSeconds(Math.Max(0, e.Value.LastTimestamp - e.Value.FirstTimestamp) / (e.Value.Count - 1)) : null,
                        e.Value.Data.AsSpan(0, e.Value.Length).ToArray(),
                        e.Value.Dlc,
                        e.Value.Changed,
                        e.Value.Remote,
                        e.Value.Fd,
                        e.Value.Error)),
            ];
        }
    }

    private sealed class Entry
    {
        public byte[] Data { get; } = new byte[CanDlc.MaxFdLength];

        public int Length { get; set; }

        public int Dlc { get; set; }

        public long Count { get; set; }

        public double FirstTimestamp { get; set; }

        public double LastTimestamp { get; set; }

        public ulong Changed { get; set; }

        public bool Remote { get; set; }

        public bool Fd { get; set; }

        public bool Error { get; set; }
    }
}
