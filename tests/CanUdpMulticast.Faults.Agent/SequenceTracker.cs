using System.Buffers.Binary;

namespace CanUdpMulticast.Faults.Agent;

/// <summary>
/// Per sender (arbitration id): the highest sequence number seen, duplicates and reordering. A bit per sequence number,
/// allocated once per sender, so memory stays flat during a soak.
/// </summary>
internal sealed class SequenceTracker
{
    private const int Capacity = 1 << 24;
    private readonly Dictionary<uint, (long Highest, System.Collections.BitArray Seen)> _senders = [];

    public long Received { get; private set; }

    public long Duplicates { get; private set; }

    public long Reordered { get; private set; }

    /// <summary>Frames the senders sent up to the last one seen from each: highest sequence number + 1, summed.</summary>
    public long Expected => _senders.Values.Sum(s => s.Highest + 1);

    public void Add(in CanMessage message)
    {
        Received++;
        var seq = (long)BinaryPrimitives.ReadUInt64LittleEndian(message.Data);
        if (!_senders.TryGetValue(message.ArbitrationId, out var sender))
        {
            sender = (-1, new System.Collections.BitArray(Capacity));
        }

        if (seq is >= 0 and < Capacity)
        {
            if (sender.Seen[(int)seq])
            {
                Duplicates++;
                return;
            }

            sender.Seen[(int)seq] = true;
        }

        if (seq < sender.Highest)
        {
            Reordered++;
        }
        else
        {
            sender.Highest = seq;
        }

        _senders[message.ArbitrationId] = sender;
    }
}
