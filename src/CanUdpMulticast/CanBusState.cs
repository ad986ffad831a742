namespace CanUdpMulticast;

/// <summary>The error state of a CAN controller (python-can's <c>BusState</c>).</summary>
public enum CanBusState
{
    /// <summary>Error active: the node takes part in communication normally.</summary>
    Active,

    /// <summary>Error passive: the node still communicates but may not send active error frames.</summary>
    Passive,

    /// <summary>Bus off or another error state.</summary>
    Error,
}
