namespace CanUdpMulticast.Faults.Tests.Support;

/// <summary>The battery's scenarios share a port and load the machine: one collection, one after the other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultGroup
{
    public const string Name = "Faults";
}
