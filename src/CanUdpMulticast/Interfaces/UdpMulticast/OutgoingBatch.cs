using System.Runtime.CompilerServices;

namespace CanUdpMulticast.Interfaces.UdpMulticast;

/// <summary>
/// Encoded datagrams waiting to go out in one batch send: one pinned buffer they are packed into back to back (so the
/// kernel reads them in place) and their offsets and lengths. One per thread that sends batches; reused.
/// </summary>
/// <remarks>
/// Its members are compiled fully optimised at once or inlined: profiled, the tiered JIT still ran them as unoptimised
/// first-tier code (separate calls for every property) well after the first 100,000 frames of a batch sender.
/// </remarks>
internal sealed class OutgoingBatch
{
    /// <summary>The most datagrams one batch holds (one <c>sendmmsg</c> call on Linux).</summary>
    public const int MaxDatagrams = 64;

    private const int BufferSize = (MaxDatagrams * 256) + WireCodec.MaxDatagramSize;

    [ThreadStatic]
    private static OutgoingBatch? t_instance;

    private OutgoingBatch()
    {
    }

    /// <summary>The batch of the calling thread (emptied).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static OutgoingBatch ForCurrentThread()
    {
        var batch = t_instance ??= new OutgoingBatch();
        batch.Clear();
        return batch;
    }

    /// <summary>The pinned buffer the datagrams are packed into.</summary>
    public byte[] Buffer { [MethodImpl(MethodImplOptions.AggressiveInlining)] get; } = GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);

    /// <summary>Where each datagram starts in <see cref="Buffer"/>.</summary>
    public int[] Offsets { [MethodImpl(MethodImplOptions.AggressiveInlining)] get; } = new int[MaxDatagrams];

    /// <summary>The length of each datagram.</summary>
    public int[] Lengths { [MethodImpl(MethodImplOptions.AggressiveInlining)] get; } = new int[MaxDatagrams];

    /// <summary>The number of datagrams.</summary>
    public int Count { [MethodImpl(MethodImplOptions.AggressiveInlining)] get; private set; }

    /// <summary>Bytes of <see cref="Buffer"/> in use.</summary>
    public int Used { [MethodImpl(MethodImplOptions.AggressiveInlining)] get; private set; }

    /// <summary>Whether one more datagram of any size fits.</summary>
    public bool HasRoom
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Count < MaxDatagrams && Buffer.Length - Used >= WireCodec.MaxDatagramSize;
    }

    /// <summary>Encodes a frame as the next datagram; the caller checked <see cref="HasRoom"/>.</summary>
    /// <param name="message">The frame.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in CanMessage message)
    {
        var length = WireCodec.Encode(message, Buffer, Used);
        Offsets[Count] = Used;
        Lengths[Count] = length;
        Count++;
        Used += length;
    }

    /// <summary>Empties the batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Clear()
    {
        Count = 0;
        Used = 0;
    }

    /// <summary>One datagram.</summary>
    /// <param name="index">Which.</param>
    /// <returns>Its bytes.</returns>
    public ReadOnlySpan<byte> Datagram(int index) => Buffer.AsSpan(Offsets[index], Lengths[index]);
}
