namespace CanUdpMulticast.Cli.Bridge;

/// <summary>
/// Copies frames from one bus to another. Frames the source bus marks as its own (<see cref="CanMessage.IsRx"/>
/// false: echoes of what this process sent, delivered when receive_own_messages is on) are never forwarded, so a
/// frame the bridge put on a bus cannot come back through it and loop. Send failures are counted, not fatal.
/// </summary>
internal sealed class BridgeDirection
{
    private readonly CanBus _target;
    private readonly CanMessage[] _batch = new CanMessage[64];
    private long _forwarded;
    private long _ownEchoes;
    private long _failed;

    public BridgeDirection(string name, CanBus target)
    {
        Name = name;
        _target = target;
    }

    public string Name { get; }

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public long OwnEchoesDropped => Interlocked.Read(ref _ownEchoes);

    public long SendFailures => Interlocked.Read(ref _failed);

    /// <summary>The first send error, for the summary.</summary>
    public Exception? FirstError { get; private set; }

    /// <summary>Forwards a batch received on the source bus.</summary>
    /// <param name="frames">The frames.</param>
    /// <returns>Always <see langword="true"/> (keep going).</returns>
    public bool Forward(ReadOnlySpan<CanMessage> frames)
    {
        var count = 0;
        foreach (ref readonly var frame in frames)
        {
            if (!frame.IsRx)
            {
                Interlocked.Increment(ref _ownEchoes);
                continue;
            }

            _batch[count++] = frame;
        }

        if (count == 0)
        {
            return true;
        }

        try
        {
            var sent = _target.SendBatch(_batch.AsSpan(0, count));
            Interlocked.Add(ref _forwarded, sent);
            Interlocked.Add(ref _failed, count - sent);
        }
        catch (Exception ex) when (ex is CanException or ArgumentException)
        {
            // One bad batch (e.g. an FD frame for a classic bus): send one by one so the good frames still pass.
            FirstError ??= ex;
            foreach (var frame in _batch.AsSpan(0, count))
            {
                try
                {
                    _target.Send(frame);
                    Interlocked.Increment(ref _forwarded);
                }
                catch (Exception inner) when (inner is CanException or ArgumentException)
                {
                    Interlocked.Increment(ref _failed);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        return true;
    }
}
