namespace CanUdpMulticast.Fuzz;

/// <summary>One input that broke a target, and what happened.</summary>
internal sealed record MutationFinding(byte[] Input, string What);
