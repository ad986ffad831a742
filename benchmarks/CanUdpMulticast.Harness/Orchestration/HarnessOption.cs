namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>
/// One orchestrator option (<see cref="LoopbackHarness.Options"/>): the single list the harness's usage text,
/// and its parser are made from (<c>canudp bench</c> passes its options through to the harness's executable).
/// </summary>
/// <param name="Name">The option as typed, e.g. <c>--reps</c>.</param>
/// <param name="ValueName">The value's placeholder in help text (e.g. <c>N</c>), or <see langword="null"/> for a flag.</param>
/// <param name="Description">One line of help text.</param>
public sealed record HarnessOption(string Name, string? ValueName, string Description)
{
    /// <summary>Whether the option takes a value (<c>--reps 3</c>) rather than being a flag (<c>--quick</c>).</summary>
    public bool TakesValue => ValueName is not null;
}
