namespace CanUdpMulticast.Cli;

/// <summary>Key presses from the user, polled without blocking.</summary>
internal interface IKeySource
{
    /// <summary>Takes one pending key press, if any.</summary>
    /// <param name="key">The key character.</param>
    /// <returns>Whether a key was pressed.</returns>
    bool TryReadKey(out char key);
}
