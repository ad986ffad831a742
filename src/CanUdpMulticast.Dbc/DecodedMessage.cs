namespace CanUdpMulticast.Dbc;

/// <summary>A frame decoded with a database: the message definition and the values of its present signals.</summary>
public sealed class DecodedMessage
{
    internal DecodedMessage(DbcMessage message, double timestamp, IReadOnlyList<DecodedSignal> signals)
    {
        Message = message;
        Timestamp = timestamp;
        Signals = signals;
    }

    /// <summary>The message definition.</summary>
    public DbcMessage Message { get; }

    /// <summary>The frame's timestamp (seconds since the Unix epoch).</summary>
    public double Timestamp { get; }

    /// <summary>The present signals in definition order (multiplexed signals the switch does not select are left out).</summary>
    public IReadOnlyList<DecodedSignal> Signals { get; }

    /// <summary>The decoded value of a signal by name.</summary>
    /// <param name="signalName">The signal name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The signal is not present in this frame.</exception>
    public DecodedSignal this[string signalName] =>
        TryGetSignal(signalName, out var value) ? value : throw new KeyNotFoundException($"Signal {signalName} is not present in this {Message.Name} frame.");

    /// <summary>Finds a present signal by name.</summary>
    /// <param name="signalName">The signal name.</param>
    /// <param name="value">The decoded value.</param>
    /// <returns><see langword="true"/> when the signal is present.</returns>
    public bool TryGetSignal(string signalName, out DecodedSignal value)
    {
        foreach (var s in Signals)
        {
            if (s.Signal.Name == signalName)
            {
                value = s;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The message and its signals, e.g. <c>EngineData(EngineSpeed: 1200 rpm, Gear: Third)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Message.Name}({string.Join(", ", Signals)})";
}
