namespace CanUdpMulticast.Nats;

/// <summary>What <see cref="NatsBus"/> does with a frame sent while the connection is down and
/// <see cref="NatsBusOptions.PendingWhileDisconnected"/> frames already wait.</summary>
public enum NatsDisconnectedSendMode
{
    /// <summary>The new frame is dropped and counted in <see cref="NatsStatistics.DroppedWhileDisconnected"/>; the sender never waits.</summary>
    DropNewest,

    /// <summary>The sender waits for the connection to come back, up to its send timeout, then gets a <see cref="CanTimeoutException"/>.</summary>
    Block,
}
