namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>What a transport knows about one received datagram in a <see cref="DatagramBatch"/>.</summary>
internal struct DatagramEntry
{
    /// <summary>The payload length in bytes (at most <see cref="DatagramBatch.SlotSize"/>).</summary>
    public int Length;

    /// <summary>Whether the datagram was larger than its slot and was cut off (<c>MSG_TRUNC</c>).</summary>
    public bool Truncated;

    /// <summary>The kernel's receive time in seconds since the Unix epoch, or <see cref="double.NaN"/> when there is none.</summary>
    public double Timestamp;

    /// <summary>The sender.</summary>
    public SourceAddress Source;
}
