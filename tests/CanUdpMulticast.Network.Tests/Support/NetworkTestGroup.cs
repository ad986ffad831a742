namespace CanUdpMulticast.Network.Tests.Support;

/// <summary>
/// Every test of this assembly opens real sockets on shared ports (and counts the process's sockets), so they all run in this
/// one collection, one after the other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NetworkTestGroup
{
    public const string Name = "Network";
}
