namespace CanUdpMulticast;

/// <summary>A snapshot of a bus's frame counters since it was opened.</summary>
/// <param name="FramesSent">Frames handed to the network or channel by <c>Send</c>.</param>
/// <param name="FramesReceived">Frames returned to the application by a receive call.</param>
/// <param name="FramesFilteredOut">Frames received but rejected by the bus's filters.</param>
/// <param name="FramesDropped">Frames lost because a receive queue was full (kernel drops included where the backend can read them).</param>
/// <param name="MalformedFrames">Datagrams or frames that were not valid and were discarded.</param>
public readonly record struct CanBusStatistics(
    long FramesSent,
    long FramesReceived,
    long FramesFilteredOut,
    long FramesDropped,
    long MalformedFrames);
