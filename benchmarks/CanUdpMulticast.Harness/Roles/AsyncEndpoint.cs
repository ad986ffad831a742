namespace CanUdpMulticast.Harness.Roles;

/// <summary>One side of an asynchronous ping-pong: sends a frame kind, receives the next frame's kind.</summary>
internal abstract class AsyncEndpoint
{
    public abstract ValueTask SendAsync(byte kind, CancellationToken cancellationToken);

    /// <summary>The kind of the next frame received (0 for a frame that is not the harness's).</summary>
    public abstract ValueTask<byte> ReceiveAsync(CancellationToken cancellationToken);
}
