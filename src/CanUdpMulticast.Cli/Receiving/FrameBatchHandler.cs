namespace CanUdpMulticast.Cli.Receiving;

/// <summary>Handles a batch of received frames.</summary>
/// <param name="frames">The frames, in arrival order.</param>
/// <returns><see langword="false"/> to stop receiving.</returns>
internal delegate bool FrameBatchHandler(ReadOnlySpan<CanMessage> frames);
