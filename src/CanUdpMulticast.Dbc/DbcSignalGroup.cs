namespace CanUdpMulticast.Dbc;

/// <summary>A signal group of a message (<c>SIG_GROUP_</c>): signals that belong together.</summary>
public sealed class DbcSignalGroup
{
    internal DbcSignalGroup(string name, int repetitions, IReadOnlyList<string> signalNames)
    {
        Name = name;
        Repetitions = repetitions;
        SignalNames = signalNames;
    }

    /// <summary>The group name.</summary>
    public string Name { get; }

    /// <summary>The repetitions field (usually 1).</summary>
    public int Repetitions { get; }

    /// <summary>The names of the signals in the group.</summary>
    public IReadOnlyList<string> SignalNames { get; }
}
