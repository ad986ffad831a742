namespace CanUdpMulticast.Nats.JetStream;

/// <summary>What a JetStream recording of a bus holds.</summary>
/// <param name="Stream">The stream name.</param>
/// <param name="Subjects">The subjects it records.</param>
/// <param name="Frames">The number of stored frames.</param>
/// <param name="Bytes">The stored size in bytes.</param>
/// <param name="First">When the oldest stored frame arrived at the server (<see langword="null"/> when empty).</param>
/// <param name="Last">When the newest stored frame arrived at the server (<see langword="null"/> when empty).</param>
public sealed record NatsRecordingInfo(string Stream, IReadOnlyList<string> Subjects, long Frames, long Bytes, DateTimeOffset? First, DateTimeOffset? Last);
