namespace CanUdpMulticast.Cli;

/// <summary>No keyboard (input redirected, tests).</summary>
internal sealed class NoKeys : IKeySource
{
    public static NoKeys Instance { get; } = new();

    public bool TryReadKey(out char key)
    {
        key = default;
        return false;
    }
}
