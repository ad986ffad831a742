namespace CanUdpMulticast.Dbc;

/// <summary>Something in a DBC file the parser skipped or did not understand, with the line it is on.</summary>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Message">What was skipped and why.</param>
public readonly record struct DbcWarning(int Line, string Message)
{
    /// <summary>The warning as <c>line N: message</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"line {Line}: {Message}";
}
