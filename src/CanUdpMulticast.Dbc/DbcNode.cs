namespace CanUdpMulticast.Dbc;

/// <summary>A node (ECU) of the network (<c>BU_</c>).</summary>
public sealed class DbcNode
{
    internal DbcNode(string name) => Name = name;

    /// <summary>The node name.</summary>
    public string Name { get; }

    /// <summary>The comment (<c>CM_ BU_</c>), if any.</summary>
    public string? Comment { get; internal set; }

    /// <summary>The node's attributes.</summary>
    public DbcAttributes Attributes { get; } = new();

    /// <summary>The name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
