namespace CanUdpMulticast.IO;

/// <summary>Settings of <see cref="MessageSync"/> (python-can's <c>MessageSync</c> arguments).</summary>
public sealed class MessageSyncOptions
{
    /// <summary>The default settings: recorded pace, 0.1 ms gap, idle periods above 60 s cut to 60 s.</summary>
    public static MessageSyncOptions Default { get; } = new();

    /// <summary>
    /// Follow the frames' timestamps (the default). When <see langword="false"/>, frames are spaced by
    /// <see cref="Gap"/> and their timestamps are ignored (python-can's <c>timestamps=False</c>).
    /// </summary>
    public bool UseTimestamps { get; init; } = true;

    /// <summary>The time between frames when timestamps are ignored (python-can's <c>gap</c>, 0.1 ms by default).</summary>
    public TimeSpan Gap { get; init; } = TimeSpan.FromTicks(1000);

    /// <summary>
    /// Idle periods longer than this are cut to this length (python-can's <c>skip</c>, 60 s by default);
    /// <see langword="null"/> or zero replays every pause in full.
    /// </summary>
    public TimeSpan? Skip { get; init; } = TimeSpan.FromSeconds(60);
}
