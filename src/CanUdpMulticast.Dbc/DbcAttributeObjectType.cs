namespace CanUdpMulticast.Dbc;

/// <summary>What kind of object an attribute (<c>BA_DEF_</c>) applies to.</summary>
public enum DbcAttributeObjectType
{
    /// <summary>The database (network) itself: no object keyword.</summary>
    Network,

    /// <summary>Nodes (<c>BU_</c>).</summary>
    Node,

    /// <summary>Messages (<c>BO_</c>).</summary>
    Message,

    /// <summary>Signals (<c>SG_</c>).</summary>
    Signal,

    /// <summary>Environment variables (<c>EV_</c>); their values are not kept, since environment variables are not supported.</summary>
    EnvironmentVariable,
}
