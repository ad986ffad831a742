namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// Reusable storage for up to <see cref="Capacity"/> received datagrams: one pinned buffer of fixed-size slots (so the
/// kernel can write into it directly) and an entry per slot. Used under the bus's receive lock.
/// </summary>
internal sealed class DatagramBatch
{
    /// <summary>The bytes per slot: python-can's receive buffer, so a larger datagram is truncated and reported as such.</summary>
    public const int SlotSize = WireCodec.MaxDatagramSize;

    private readonly DatagramEntry[] _entries;

    /// <summary>Creates the storage.</summary>
    /// <param name="capacity">The most datagrams one receive call returns.</param>
    public DatagramBatch(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        Buffer = GC.AllocateUninitializedArray<byte>(capacity * SlotSize, pinned: true);
        _entries = new DatagramEntry[capacity];
    }

    /// <summary>The number of slots.</summary>
    public int Capacity { get; }

    /// <summary>The pinned buffer of <see cref="Capacity"/> slots of <see cref="SlotSize"/> bytes.</summary>
    public byte[] Buffer { get; }

    /// <summary>The entry of a slot.</summary>
    /// <param name="index">The slot.</param>
    /// <returns>A reference to the entry.</returns>
    public ref DatagramEntry this[int index] => ref _entries[index];

    /// <summary>The whole slot, for a transport to receive into.</summary>
    /// <param name="index">The slot.</param>
    /// <returns>The slot's memory.</returns>
    public Memory<byte> Slot(int index) => Buffer.AsMemory(index * SlotSize, SlotSize);

    /// <summary>The received payload of a slot.</summary>
    /// <param name="index">The slot.</param>
    /// <returns>The payload.</returns>
    public ReadOnlyMemory<byte> Payload(int index) => Buffer.AsMemory(index * SlotSize, _entries[index].Length);
}
