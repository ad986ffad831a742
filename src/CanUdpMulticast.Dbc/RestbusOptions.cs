using CanUdpMulticast.Periodic;

namespace CanUdpMulticast.Dbc;

/// <summary>Which messages a <see cref="RestbusSimulation"/> sends, and how.</summary>
public sealed record RestbusOptions
{
    /// <summary>The sender nodes to simulate (a message is chosen when its sender or one of its <c>BO_TX_BU_</c>
    /// transmitters is listed); <see langword="null"/> or empty for every node.</summary>
    public IReadOnlyCollection<string>? Nodes { get; init; }

    /// <summary>Nodes not to simulate (typically the real ECUs on the bench); their messages are left out.</summary>
    public IReadOnlyCollection<string>? ExceptNodes { get; init; }

    /// <summary>Options for the periodic tasks (clock, error callback, logging); <see langword="null"/> for the defaults.
    /// <see cref="PeriodicSendOptions.AutoStart"/> is ignored: <see cref="RestbusSimulation.Start"/> starts the tasks.</summary>
    public PeriodicSendOptions? PeriodicOptions { get; init; }
}
