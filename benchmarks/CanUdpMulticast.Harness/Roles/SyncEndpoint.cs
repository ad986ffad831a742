namespace CanUdpMulticast.Harness.Roles;

/// <summary>
/// One side of a benchmark over a blocking API: raw sockets, raw sendmmsg/recvmmsg, or the library's sync calls.
/// Receive calls give up after about 200 ms so the roles can notice the end of a run.
/// </summary>
internal abstract class SyncEndpoint : IDisposable
{
    /// <summary>Frames per batch call (sendmmsg/recvmmsg vector length, SendBatch/ReceiveBatch span length).</summary>
    public const int BatchSize = 64;

    /// <summary>The receive timeout every endpoint uses.</summary>
    public static readonly TimeSpan ReceiveTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether <see cref="SendMany"/> is a real batch call (senders then send <see cref="BatchSize"/> at a time).</summary>
    public virtual bool SendsInBatches => false;

    /// <summary>Sends one frame of the given kind.</summary>
    public abstract void Send(byte kind);

    /// <summary>Sends <paramref name="count"/> (at most <see cref="BatchSize"/>) frames of the given kind.</summary>
    public virtual void SendMany(byte kind, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Send(kind);
        }
    }

    /// <summary>Receives one or more frames (at most <c>kinds.Length</c>) and writes their kinds; 0 after the timeout.</summary>
    public abstract int Receive(Span<byte> kinds);

    /// <summary>Extra result fields (e.g. how many frames carried a kernel timestamp).</summary>
    public virtual IEnumerable<(string Key, double Value)> Fields() => [];

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
