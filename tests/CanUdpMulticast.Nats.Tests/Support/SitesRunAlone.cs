using CanUdpMulticast.Nats.Tests;

namespace CanUdpMulticast.Nats.Tests.Support;

/// <summary>Test classes in this collection run while no other test class of the assembly runs.</summary>
[CollectionDefinition(SiteBridgeTests.Alone, DisableParallelization = true)]
public sealed class SitesRunAlone;
