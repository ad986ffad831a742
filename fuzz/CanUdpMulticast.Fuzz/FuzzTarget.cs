namespace CanUdpMulticast.Fuzz;

/// <summary>
/// One parser of untrusted input, driven with arbitrary bytes. <see cref="Run"/> returns normally when the parser
/// accepted the input or rejected it with its documented error; anything else escapes and is a finding (a crash for
/// afl-fuzz, a failure for the in-process mutator).
/// </summary>
/// <param name="Name">The name scripts and tests use (also the seed corpus folder under fuzz/corpus/).</param>
/// <param name="Description">What is parsed, and which errors count as a correct rejection.</param>
/// <param name="Run">Parses one input.</param>
internal sealed record FuzzTarget(string Name, string Description, Action<byte[]> Run);
