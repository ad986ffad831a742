namespace CanUdpMulticast.Fuzz;

/// <summary>Thrown by a target when a parser broke one of its own promises without throwing (e.g. a round trip differs).</summary>
internal sealed class FuzzFinding : Exception
{
    public FuzzFinding()
    {
    }

    public FuzzFinding(string message)
        : base(message)
    {
    }

    public FuzzFinding(string message, Exception inner)
        : base(message, inner)
    {
    }
}
